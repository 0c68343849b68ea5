package noko.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * Single-node OpenSearch for development and CI.
 *
 * Like the test framework's MockNode, we subclass Node through its protected constructor, which
 * takes plugins from the classpath instead of a plugins/ folder. Bypassing Bootstrap means no
 * root / jar-hell / bootstrap checks, so it runs from Maven Central jars alone (also as root).
 *
 * Usage: java -cp 'target/classes:target/lib/*' noko.opensearch.Main [home-dir]
 * home-dir defaults to $OPENSEARCH_HOME; port comes from $OPENSEARCH_PORT (default 9200).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        String homeArg = args.length > 0 ? args[0] : System.getenv("OPENSEARCH_HOME");
        Path home = homeArg != null ? Path.of(homeArg) : Files.createTempDirectory("noko-opensearch-");
        int httpPort = Integer.parseInt(System.getenv().getOrDefault("OPENSEARCH_PORT", "9200"));
        Files.createDirectories(home.resolve("data"));

        Settings settings = Settings.builder()
            .put("cluster.name", "noko-dev")
            .put("node.name", "noko-dev-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            // Transport port is derived from the HTTP port so two nodes (e.g. parallel CI jobs) can coexist.
            .put("transport.port", httpPort + 100)
            .put("discovery.type", "single-node")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // CI disks are often >90% full; never let the watermark make indices read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "noko-dev-node");
        Node node = new Node(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true) {};

        // SIGTERM/SIGINT -> close the node so Lucene files and ports are released cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "opensearch-shutdown"));

        node.start();
        System.out.println("OPENSEARCH STARTED http://127.0.0.1:" + httpPort + " home=" + home);
        // OpenSearch threads are daemons (Bootstrap normally keeps a keep-alive thread), so park main.
        Thread.currentThread().join();
    }
}
