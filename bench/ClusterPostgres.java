import dev.webhookhub.support.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The PostgreSQL of bench/cluster.sh, from the zonky embedded binaries the tests use (no Docker, no system
 * PostgreSQL needed), and with {@code kafka} also its Kafka broker: the tests' single-node KRaft broker
 * ({@code support/KafkaBroker}, Kafka's own server jar) in this JVM, its log in kafka-data/ beside DATA_DIR.
 * Run with the test classpath plus target/test-classes (the script builds it):
 *
 *   java -cp CP bench/ClusterPostgres.java start PORT DATA_DIR [kafka]
 *       # creates database webhookhub; with kafka starts the broker and prints
 *       # "KAFKA host:port"; then prints "READY jdbc-url" and runs until killed (SIGTERM stops broker and database)
 *   java -cp CP bench/ClusterPostgres.java query JDBC_URL SQL    # prints the first column of each row
 *   java -cp CP bench/ClusterPostgres.java await JDBC_URL COUNT_SQL SECONDS
 *       # polls the count until it is 0 ("DRAINED seconds") or SECONDS have passed ("TIMEOUT count", exit 3)
 */
public final class ClusterPostgres {

    public static void main(String[] args) throws Exception {
        if ((args.length == 3 || args.length == 4 && args[3].equals("kafka")) && args[0].equals("start")) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(Integer.parseInt(args[1]))
                    .setDataDirectory(Path.of(args[2])).setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "200").start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE webhookhub");
            }
            KafkaBroker[] kafka = new KafkaBroker[1];
            // PostgreSQL first: it is a process of its own and must not outlive this JVM; the broker lives in it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // exiting
                }
                try {
                    if (kafka[0] != null) {
                        kafka[0].close();
                    }
                } catch (Exception ignored) {
                    // exiting
                }
            }));
            if (args.length == 4) {
                try {
                    Path dir = Files.createDirectories(Path.of(args[2]).toAbsolutePath().resolveSibling("kafka-data"));
                    kafka[0] = KafkaBroker.start(dir);
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(1);
                }
                System.out.println("KAFKA " + kafka[0].bootstrapServers());
            }
            System.out.println("READY " + pg.getJdbcUrl("postgres", "webhookhub"));
            System.out.flush();
            Thread.currentThread().join();
        } else if (args.length == 3 && args[0].equals("query")) {
            try (Connection c = DriverManager.getConnection(args[1], "postgres", "postgres");
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery(args[2])) {
                while (rs.next()) {
                    System.out.println(rs.getString(1));
                }
            }
        } else if (args.length == 4 && args[0].equals("await")) {
            // polls a count every 500 ms until it is 0 (prints "DRAINED seconds") or for at most SECONDS
            // (prints "TIMEOUT count", exit 3); one connection, no JVM start per poll while the workers drain
            long start = System.nanoTime();
            long until = start + Long.parseLong(args[3]) * 1_000_000_000L;
            long nextReport = start + 10_000_000_000L;
            try (Connection c = DriverManager.getConnection(args[1], "postgres", "postgres");
                    Statement s = c.createStatement()) {
                while (true) {
                    long left;
                    try (ResultSet rs = s.executeQuery(args[2])) {
                        rs.next();
                        left = rs.getLong(1);
                    }
                    long now = System.nanoTime();
                    if (left == 0) {
                        System.out.printf("DRAINED %.1f%n", (now - start) / 1e9);
                        return;
                    }
                    if (now >= until) {
                        System.out.println("TIMEOUT " + left);
                        System.exit(3);
                    }
                    if (now >= nextReport) {
                        System.err.printf("[cluster-bench] %d left after %.0f s%n", left, (now - start) / 1e9);
                        nextReport += 10_000_000_000L;
                    }
                    Thread.sleep(500);
                }
            }
        } else {
            System.err.println("usage: start PORT DATA_DIR [kafka] | query JDBC_URL SQL | await JDBC_URL COUNT_SQL SECONDS");
            System.exit(1);
        }
    }
}
