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

    public static void main(String[] args) throws Exception {
        // before any NIO use: the JDK reads it once; -Djdk.nio.maxCachedBufferSize on the command line wins
        if (System.getProperty(MAX_CACHED_BUFFER) == null) {
            System.setProperty(MAX_CACHED_BUFFER, "262144");
        }
        HubMain.create(System.getenv(), java.util.Map.of()).run(args);
    }
}
