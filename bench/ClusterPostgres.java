import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The PostgreSQL of bench/cluster.sh, from the zonky embedded binaries the tests use (no Docker, no system
 * PostgreSQL needed). Run with the test classpath (the script builds it):
 *
 *   java -cp CP bench/ClusterPostgres.java start PORT DATA_DIR   # creates database webhookhub, prints READY, runs until killed
 *   java -cp CP bench/ClusterPostgres.java query JDBC_URL SQL    # prints the first column of each row
 */
public final class ClusterPostgres {

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("start")) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(Integer.parseInt(args[1]))
                    .setDataDirectory(Path.of(args[2])).setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "200").start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE webhookhub");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // exiting
                }
            }));
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
        } else {
            System.err.println("usage: start PORT DATA_DIR | query JDBC_URL SQL");
            System.exit(1);
        }
    }
}
