package io.flinkruler.rulesource;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.PluginFileSystemFactory;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the filesystem of a {@link RuleStorageLocation} with the location's own Flink configuration keys, wherever
 * the code runs (client, MiniCluster, a cluster's TaskManager), without touching Flink's global filesystem state.
 *
 * <p>The factory for the root's scheme is looked up on the class path first (flink-ruler's {@code swift://}), then
 * among Flink filesystem plugins ({@code s3://}, {@code gs://}, {@code wasb(s)://}), each loaded in its own class
 * loader as a Flink cluster does: the object-store filesystems bundle their own Hadoop, Guava, Jackson and
 * protobuf and do not share a class path with anything. The plugins folder is {@code $FLINK_PLUGINS_DIR} (set in
 * a cluster's processes), else the system property {@value #PLUGINS_DIR_PROPERTY}, else a {@code plugins} folder
 * beside the jar this class came from ({@code job/target/plugins} for {@code bin/flink-ruler}). When no factory
 * is found, Flink's configured filesystem is used and the cluster's configuration must hold the keys.
 */
public final class RuleFileSystems {
    public static final String PLUGINS_DIR_PROPERTY = "flink-ruler.plugins-dir";
    private static final Logger LOG = LoggerFactory.getLogger(RuleFileSystems.class);
    /** One plugin manager (and so one class loader per plugin) per folder and JVM. */
    private static final Map<Path, PluginManager> PLUGIN_MANAGERS = new ConcurrentHashMap<>();

    static {
        // The AWS SDK v1 inside flink-s3-fs-hadoop prints a stack trace of its end-of-support notice otherwise.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
    }

    private RuleFileSystems() {}

    public static FileSystem open(RuleStorageLocation location) throws IOException {
        URI root = URI.create(location.root());
        if (location.flinkConfig().isEmpty() && location.secretFiles().isEmpty()) return FileSystem.get(root);
        FileSystemFactory factory = factoryFor(location.scheme());
        if (factory == null) {
            LOG.info("No {}:// filesystem on the class path or in a plugins folder: using Flink's configured one;"
                    + " the cluster configuration must hold {}", location.scheme(), location.flinkConfig().keySet());
            return FileSystem.get(root);
        }
        factory.configure(configuration(location));
        return factory.create(root);
    }

    /** The Flink configuration the location's filesystem needs; secret files are written first. */
    public static Configuration configuration(RuleStorageLocation location) {
        Map<String, String> keys = new HashMap<>(location.flinkConfig());
        for (Map.Entry<String, String> secret : location.secretFiles().entrySet()) {
            keys.put(secret.getKey(), writePrivateFile(secret.getValue()));
        }
        return Configuration.fromMap(keys);
    }

    /** The plugin manager of the plugins folder, if there is one; for {@code FileSystem.initialize} in local runs. */
    public static Optional<PluginManager> pluginManager() {
        return pluginsDirectory().map(dir -> PLUGIN_MANAGERS.computeIfAbsent(dir, RuleFileSystems::createPluginManager));
    }

    static Optional<Path> pluginsDirectory() {
        String env = System.getenv("FLINK_PLUGINS_DIR");
        if (env != null && Files.isDirectory(Path.of(env))) return Optional.of(Path.of(env).toAbsolutePath());
        String property = System.getProperty(PLUGINS_DIR_PROPERTY);
        if (property != null && Files.isDirectory(Path.of(property))) return Optional.of(Path.of(property).toAbsolutePath());
        try {
            Path codeSource = Path.of(RuleFileSystems.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = codeSource.getParent() == null ? null : codeSource.getParent().resolve("plugins");
            if (beside != null && Files.isDirectory(beside)) return Optional.of(beside);
        } catch (Exception e) {
            // no code source (unusual class loaders): no plugins folder beside it then
        }
        return Optional.empty();
    }

    private static PluginManager createPluginManager(Path dir) {
        try {
            String[] parentFirst = CoreOptions.getPluginParentFirstLoaderPatterns(new Configuration());
            return new DefaultPluginManager(new DirectoryBasedPluginFinder(dir).findPlugins(), parentFirst);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Flink plugins in " + dir, e);
        }
    }

    private static FileSystemFactory factoryFor(String scheme) {
        FileSystemFactory best = null;
        for (FileSystemFactory f : ServiceLoader.load(FileSystemFactory.class, RuleFileSystems.class.getClassLoader())) {
            if (f.getScheme().equals(scheme) && (best == null || f.getPriority() > best.getPriority())) best = f;
        }
        if (best != null) return best;
        Optional<PluginManager> plugins = pluginManager();
        if (plugins.isEmpty()) return null;
        for (Iterator<FileSystemFactory> it = plugins.get().load(FileSystemFactory.class); it.hasNext(); ) {
            FileSystemFactory f = it.next();
            if (f.getScheme().equals(scheme) && (best == null || f.getPriority() > best.getPriority())) best = f;
        }
        // runs configure/create and every call of the filesystem with the plugin's class loader as context loader
        return best == null ? null : PluginFileSystemFactory.of(best);
    }

    /** A file only this user can read, removed when the JVM exits. */
    private static String writePrivateFile(String content) {
        try {
            Path file;
            try {
                file = Files.createTempFile("flink-ruler-secret-", ".json",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                file = Files.createTempFile("flink-ruler-secret-", ".json");
            }
            file.toFile().deleteOnExit();
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a credentials file for rule storage", e);
        }
    }
}
