package dev.forklift.process.internal;

import dev.forklift.process.ChildStartException;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of class path discovery that need no child JVM. */
class ChildClasspathLocationTest {
    /** Loaded again from a nested-jar location by the test. */
    public static final class Probe {
    }

    @Test
    void classesFromANestedJarFailFastNamingTheLocationAndWhatToSet() throws Exception {
        final URL nested = new URL("jar:file:/srv/app.jar!/BOOT-INF/lib/forklift-core.jar!/");
        final Class<?> probe = new NestedJarLoader(nested).define(Probe.class);

        assertThatThrownBy(() -> ChildClasspath.requireFileLocation(probe)).isInstanceOf(ChildStartException.class)
            .hasMessageContaining(nested.toString()).hasMessageContaining("ChildProcessBuilder.classpath(...)")
            .hasMessageContaining("-Dforklift.classpath=");
        ChildClasspath.requireFileLocation(ChildClasspath.class); // from target/classes: fine
    }

    @Test
    void loaderFilesComeFirstThenTheRestOfJavaClassPathOnceEachAndNoLoaderMeansJavaClassPathUnchanged() {
        final String javaPath = String.join(File.pathSeparator, "/a.jar", "/b.jar");
        assertThat(ChildClasspath.join(Set.of(), javaPath)).isEqualTo(javaPath);
        assertThat(ChildClasspath.join(new LinkedHashSet<>(List.of("/app/classes", "/b.jar")), javaPath))
            .isEqualTo(String.join(File.pathSeparator, "/app/classes", "/b.jar", "/a.jar"));
    }

    @Test
    void theDefaultOfAPlainJvmIsItsJavaClassPath() {
        assertThat(ChildClasspath.forChild(getClass().getClassLoader()))
            .isEqualTo(System.getProperty("java.class.path"));
    }

    private static final class NestedJarLoader extends ClassLoader {
        private final ProtectionDomain domain;

        NestedJarLoader(final URL location) {
            super(null);
            this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
        }

        Class<?> define(final Class<?> type) throws Exception {
            final String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = type.getResourceAsStream(resource)) {
                final byte[] bytes = in.readAllBytes();
                return defineClass(type.getName(), bytes, 0, bytes.length, domain);
            }
        }
    }
}
