package io.flinkruler.swift;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes {@code swift://<container>/<path>} URIs work with {@link FileSystem#get(URI)}, configured by the
 * {@code swift.*} keys of the Flink configuration: {@code swift.auth-url}, {@code swift.auth-version} (1 =
 * TempAuth, 3 = Keystone v3, 0/unset = from the URL), {@code swift.username}, {@code swift.password},
 * {@code swift.user-domain-name}, {@code swift.project-name}, {@code swift.project-domain-name},
 * {@code swift.region-name}, ... — every key of {@link SwiftConfig#KEYS} with the prefix {@code swift.}, in
 * kebab-case or snake_case.
 *
 * <p>Locally (tests, MiniCluster, the CLI) the factory is found through {@code META-INF/services} on the class
 * path once {@code FileSystem.initialize(conf, null)} has run. On a Flink cluster, filesystems are plugins: build
 * a jar holding {@code io.flinkruler.swift.*}, httpclient5 and httpcore5 (not Flink itself, nor its shaded
 * Jackson, which the plugin class loader takes from Flink) plus this services file, put it in
 * {@code $FLINK_HOME/plugins/swift-fs/}, and set the {@code swift.*} keys in the cluster's {@code config.yaml}.
 * A plugin is loaded by its own class loader: job code then sees the plugin's {@code SwiftFileStatus} as a
 * foreign class, so a job that wants {@link SwiftFileStatus#etag()} should use {@link SwiftFileSystem#create}
 * from its own jar instead of {@code FileSystem.get}.
 *
 * <p>A bad or missing configuration is reported when a {@code swift://} path is first used, not while Flink
 * configures all its filesystems.
 */
public final class SwiftFileSystemFactory implements FileSystemFactory {
    public static final String SCHEME = "swift";
    public static final String CONFIG_PREFIX = "swift.";

    private SwiftConfig config;
    private String configProblem = "no swift.* keys are set in the Flink configuration";
    private SwiftClient client;

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public synchronized void configure(Configuration flinkConfig) {
        Map<String, String> swiftKeys = new HashMap<>();
        for (Map.Entry<String, String> e : flinkConfig.toMap().entrySet()) {
            if (e.getKey().startsWith(CONFIG_PREFIX)) swiftKeys.put(e.getKey().substring(CONFIG_PREFIX.length()), e.getValue());
        }
        // Earlier filesystems may still use the old client: it is left open, not closed under them.
        client = null;
        config = null;
        if (swiftKeys.isEmpty()) {
            configProblem = "no swift.* keys are set in the Flink configuration";
            return;
        }
        try {
            config = SwiftConfig.fromMap(swiftKeys);
            configProblem = null;
        } catch (IllegalArgumentException e) {
            configProblem = e.getMessage();
        }
    }

    @Override
    public FileSystem create(URI fsUri) throws IOException {
        SwiftClient shared = sharedClient();
        String container = fsUri.getAuthority() == null ? "" : fsUri.getAuthority();
        return new SwiftFileSystem(shared, URI.create(SCHEME + "://" + container + "/"), false);
    }

    private synchronized SwiftClient sharedClient() throws IOException {
        if (configProblem != null) throw new IOException("swift: cannot create a filesystem for swift:// paths: " + configProblem);
        if (client == null) client = new SwiftClient(config);
        return client;
    }
}
