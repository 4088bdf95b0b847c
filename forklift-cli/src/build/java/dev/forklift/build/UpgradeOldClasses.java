package dev.forklift.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the command-line jar (run by the forklift-cli pom after shading, never at run time): rewrites the
 * classes under a package prefix whose class-file version is older than Java 6 (50) as Java 8 (52) class files
 * with stack-map frames computed, the bytecode otherwise unchanged. Why: JDK 17's class-data sharing skips "old"
 * classes (picocli is compiled for Java 5), so every start of the command-line JVM parsed and verified picocli's
 * 177 classes with the slow type-inferring verifier instead of mapping them from the launcher's archive
 * (docs/benchmarks.md, "The command-line JVM's own start").
 *
 * <p>Usage: {@code UpgradeOldClasses JAR PREFIX}; rewrites JAR in place (through a temporary file beside it) and
 * prints how many classes it upgraded. Fails (exit 1, message naming the class) when a class cannot be rewritten.
 */
public final class UpgradeOldClasses {
    private static final int JAVA_6 = 50;

    private UpgradeOldClasses() {
    }

    /**
     * @param args the jar and the package prefix of the classes to upgrade, such as {@code picocli/}.
     * @throws IOException if the jar cannot be read or written.
     */
    public static void main(final String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: UpgradeOldClasses JAR PREFIX, got " + args.length + " args");
        }
        final Path jar = Path.of(args[0]);
        final String prefix = args[1];
        final Path original = Files.createTempFile(jar.getParent(), "original-classes-", ".jar");
        final Path rewritten = Files.createTempFile(jar.getParent(), "upgraded-classes-", ".jar");
        Files.copy(jar, original, StandardCopyOption.REPLACE_EXISTING);
        int upgraded = 0;
        try (ZipFile in = new ZipFile(original.toFile());
             URLClassLoader hierarchy = new URLClassLoader(new URL[] {original.toUri().toURL()},
                 ClassLoader.getPlatformClassLoader());
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream out = new ZipOutputStream(file)) {
            final Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                final ZipEntry entry = entries.nextElement();
                final byte[] bytes;
                try (InputStream stream = in.getInputStream(entry)) {
                    bytes = stream.readAllBytes();
                }
                byte[] written = bytes;
                if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    written = upgrade(entry.getName(), bytes, hierarchy);
                    upgraded++;
                }
                final ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(written);
                out.closeEntry();
            }
        } finally {
            Files.deleteIfExists(original);
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeOldClasses: " + upgraded + " classes under " + prefix + " upgraded to Java 8 class "
            + "files in " + jar);
    }

    private static int majorVersion(final byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] upgrade(final String name, final byte[] classFile, final ClassLoader hierarchy) {
        try {
            final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                @Override
                protected ClassLoader getClassLoader() {
                    return hierarchy;
                }
            };
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public void visit(final int version, final int access, final String className, final String signature,
                    final String superName, final String[] interfaces) {
                    super.visit(Opcodes.V1_8, access, className, signature, superName, interfaces);
                }
            }, 0);
            return writer.toByteArray();
        } catch (final RuntimeException ex) {
            throw new IllegalStateException("cannot upgrade " + name + ": " + ex, ex);
        }
    }
}
