package dev.forklift.codec;

import dev.forklift.codec.internal.DynamicCodec;
import dev.forklift.testing.Link;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The object codec's limits hold on both sides: what it encodes it decodes, and what its reader would refuse its
 * writer refuses first, naming the limit and how to raise it. The same for the UTF-8 and record fast paths.
 */
class ObjectCodecLimitsTest {
    private static final AllowList LINKS = AllowList.defaults().allow(Link.class);

    @Test
    void aChainAtTheDepthLimitRoundTripsAndOneLinkMoreIsRefusedWhenEncodingNamingTheLimit() {
        final ObjectCodec<Link> codec = new ObjectCodec<>(Link.class, LINKS);
        assertThat(codec.maxDepth()).isEqualTo(64);
        assertThat(roundTrip(codec, Link.chain(64))).isEqualTo(Link.chain(64));
        for (final int depth : new int[] {65, 100, 1000}) {
            assertThatThrownBy(() -> codec.encode(Link.chain(depth), ByteBuffer.allocate(1 << 20)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("at depth 65").hasMessageContaining("maxDepth=64")
                .hasMessageContaining("maxObjectDepth(n)").hasMessageContaining("-Dforklift.codec.maxDepth=n");
        }
    }

    @Test
    void aRaisedLimitTravelsWithTheCodecToTheReader() throws Exception {
        final ObjectCodec<Link> codec = new ObjectCodec<>(Link.class, LINKS, 300);
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        codec.encode(Link.chain(300), buffer);
        buffer.flip();
        @SuppressWarnings("unchecked")
        final ObjectCodec<Link> copy = (ObjectCodec<Link>) javaRoundTrip(codec);
        assertThat(copy.maxDepth()).isEqualTo(300);
        assertThat(copy.decode(buffer)).isEqualTo(Link.chain(300));
        assertThatThrownBy(() -> codec.encode(Link.chain(301), ByteBuffer.allocate(1 << 20)))
            .hasMessageContaining("maxDepth=300");
    }

    @Test
    void theSystemPropertySetsTheDefaultLimitAndABadValueIsRefusedByName() {
        final String before = System.getProperty(ObjectCodec.MAX_DEPTH_PROPERTY);
        try {
            System.setProperty(ObjectCodec.MAX_DEPTH_PROPERTY, "80");
            final ObjectCodec<Link> codec = new ObjectCodec<>(Link.class, LINKS);
            assertThat(codec.maxDepth()).isEqualTo(80);
            assertThat(roundTrip(codec, Link.chain(80))).isEqualTo(Link.chain(80));
            System.setProperty(ObjectCodec.MAX_DEPTH_PROPERTY, "0");
            assertThatThrownBy(() -> new ObjectCodec<>(Link.class, LINKS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forklift.codec.maxDepth=0");
            assertThatThrownBy(() -> new ObjectCodec<>(Link.class, LINKS, -1))
                .hasMessageContaining("maxDepth=-1");
        } finally {
            if (before == null) {
                System.clearProperty(ObjectCodec.MAX_DEPTH_PROPERTY);
            } else {
                System.setProperty(ObjectCodec.MAX_DEPTH_PROPERTY, before);
            }
        }
    }

    @Test
    void hashMapsAndHashSetsRoundTrip() {
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults());
        final HashMap<String, Object> map = new HashMap<>();
        map.put("a", 1);
        map.put("set", new HashSet<>(List.of("x", "y")));
        map.put("linked", new LinkedHashMap<>(Map.of("k", 2L)));
        assertThat(roundTrip(codec, map)).isEqualTo(map);
        final HashSet<Integer> sparse = new HashSet<>(16, 0.25f);
        for (int i = 0; i < 1025; i++) {
            sparse.add(i);
        }
        assertThat(roundTrip(codec, sparse)).isEqualTo(sparse);
    }

    @Test
    void aJdkTableTheReaderWouldRefuseIsRefusedWhenEncoding() {
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults()
            .allowNames("java.util.Hashtable", "java.util.Collections$CopiesList"));
        assertThatThrownBy(() -> codec.encode(Collections.nCopies(100_000, "x"), ByteBuffer.allocate(1 << 16)))
            .isInstanceOf(CodecException.class).hasMessageContaining("would not decode")
            .hasMessageContaining("an array of 100000 elements");
        final List<String> few = Collections.nCopies(3, "x");
        assertThat(roundTrip(codec, few)).isEqualTo(few);
        final Hashtable<Integer, Integer> sparse = new Hashtable<>(11, 0.001f);
        for (int i = 0; i < 10; i++) {
            sparse.put(i, i);
        }
        assertThat(roundTrip(codec, sparse)).isEqualTo(sparse);
    }

    @Test
    void aStringWithALoneSurrogateIsRefusedByTheUtf8AndRecordPathsAndPairsRoundTrip() {
        final Codec<String> utf8 = Codecs.utf8();
        assertThat(roundTrip(utf8, "pair \uD83D\uDE00 ok")).isEqualTo("pair \uD83D\uDE00 ok");
        for (final String lone : new String[] {"cut \uD83D", "\uDE00 low first", "two \uD83D\uD83D\uDE00"}) {
            assertThatThrownBy(() -> utf8.encode(lone, ByteBuffer.allocate(64))).isInstanceOf(CodecException.class)
                .hasMessageContaining("lone surrogate");
        }
        final Codec<Named> record = Codecs.forType(Named.class, AllowList.defaults());
        assertThat(record.id()).isEqualTo("forklift.record");
        assertThat(roundTrip(record, new Named("\uD83D\uDE00"))).isEqualTo(new Named("\uD83D\uDE00"));
        assertThatThrownBy(() -> record.encode(new Named("x\uD83D"), ByteBuffer.allocate(64)))
            .isInstanceOf(CodecException.class).hasMessageContaining("lone surrogate");
        final Codec<Object> objects = Codecs.objects(Object.class, AllowList.defaults());
        assertThat(roundTrip(objects, "java serialization carries it: \uD83D")).isEqualTo(
            "java serialization carries it: \uD83D");
    }

    @Test
    void aRecordWhoseClassNameTheDynamicReaderRefusesTakesTheObjectCodecInstead() throws Exception {
        final String packageName = "p" + "a".repeat(1100);
        final ClassLoader loader = compile(packageName, "Far", "package " + packageName + ";\n"
            + "public record Far(int value, String label) implements java.io.Serializable {}\n");
        final Class<?> type = Class.forName(packageName + ".Far", true, loader);
        final Object value = type.getConstructor(int.class, String.class).newInstance(7, "seven");
        final Thread thread = Thread.currentThread();
        final ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            final DynamicCodec codec = new DynamicCodec(AllowList.defaults().allow(type));
            assertThat(roundTrip(codec, value)).isEqualTo(value);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aValueThatIsNotSerializableIsRefusedNamingItsClassNotTheClassOfTheExceptionAboutIt() {
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults());
        final List<Object> holder = new java.util.ArrayList<>(List.of(new Object()));
        assertThatThrownBy(() -> codec.encode(holder, ByteBuffer.allocate(1024))).isInstanceOf(CodecException.class)
            .isNotInstanceOf(ClassNotAllowedException.class)
            .hasMessageContaining("java.io.NotSerializableException: java.lang.Object")
            .hasCauseInstanceOf(java.io.NotSerializableException.class);
    }

    /** A record of simple values: the record fast path. */
    public record Named(String name) implements Serializable {
    }

    private static <T> T roundTrip(final Codec<T> codec, final T value) {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        codec.encode(value, buffer);
        buffer.flip();
        return codec.decode(buffer);
    }

    private static Object javaRoundTrip(final Object value) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    /** Compiles one class in memory (its name may be longer than a file name can be) and loads it. */
    private static ClassLoader compile(final String packageName, final String simpleName, final String source) {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        final javax.tools.JavaFileManager files = new javax.tools.ForwardingJavaFileManager<>(
            compiler.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(final Location location, final String className,
                final JavaFileObject.Kind kind, final javax.tools.FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.hashCode() + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, name -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        final JavaFileObject unit = new SimpleJavaFileObject(URI.create("mem:///" + simpleName + ".java"),
            JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors) {
                return source;
            }
        };
        final Boolean compiled = compiler.getTask(null, files, null, List.of("--release", "17"), null,
            List.of(unit)).call();
        assertThat(compiled).as("compiled %s.%s", packageName.substring(0, 8), simpleName).isTrue();
        return new ClassLoader(ObjectCodecLimitsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(final String name) throws ClassNotFoundException {
                final ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes.toByteArray(), 0, bytes.size());
            }
        };
    }
}
