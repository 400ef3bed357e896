package dev.webhookhub;

/** Starts the hub: {@code java -jar target/webhook-hub.jar} from the repository root. */
public final class Main {

    private Main() {
    }

    /**
     * Largest temporary direct buffer each thread keeps for NIO reads and writes. The JDK otherwise keeps one as
     * large as the largest read each thread ever made: H2 reads its file through heap buffers on the HTTP worker
     * threads, and paging large lists made those caches exhaust direct memory (then H2 closed the store).
     */
    static final String MAX_CACHED_BUFFER = "jdk.nio.maxCachedBufferSize";

    /**
     * H2's cache of recently used values. It hashes every string bound to a statement, so each delivery's headers,
     * event and commit message were hashed in full on the inbox writer and the worker (a sixth of the writer's
     * samples; bench/README.md, "Ninth session"), to share equal values the hub hardly ever repeats.
     */
    static final String H2_OBJECT_CACHE = "h2.objectCache";

    public static void main(String[] args) throws Exception {
        // before any NIO use: the JDK reads it once; -Djdk.nio.maxCachedBufferSize on the command line wins
        if (System.getProperty(MAX_CACHED_BUFFER) == null) {
            System.setProperty(MAX_CACHED_BUFFER, "262144");
        }
        // before H2 loads (it reads its system properties once); -Dh2.objectCache=true brings the cache back
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
        HubMain.create(System.getenv(), java.util.Map.of()).run(args);
    }
}
