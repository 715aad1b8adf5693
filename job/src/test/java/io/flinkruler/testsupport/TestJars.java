package io.flinkruler.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Job jars made from compiled test classes, for submitting small test jobs to a {@link FlinkClusterProcess}. */
public final class TestJars {
    private TestJars() {}

    /**
     * A jar with {@code mainClass} and its nested, inner and anonymous classes, Main-Class set. The classes may use
     * only what the cluster provides (the Flink runtime) and the JDK.
     */
    public static Path withMainClass(Class<?> mainClass, Path jar) {
        try {
            Path classes = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            String binaryPath = mainClass.getName().replace('.', '/');
            Path packageDir = classes.resolve(binaryPath).getParent();
            String simple = classes.resolve(binaryPath).getFileName().toString();
            List<Path> files;
            try (Stream<Path> s = Files.list(packageDir)) {
                files = s.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.equals(simple + ".class") || (n.startsWith(simple + "$") && n.endsWith(".class"));
                }).sorted().toList();
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
                for (Path f : files) {
                    j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(f));
                    j.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + mainClass, e);
        }
    }
}
