package dev.webhookhub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.flywaydb.core.Flyway;

/** Opens the connection pool and brings the schema up to date with the versioned migrations. */
public final class Database {

    private Database() {
    }

    public static HikariDataSource open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("hub-db");
        config.setAutoCommit(true);
        // a connection whose database closed under it is dropped, so the next one reopens the store
        config.setExceptionOverrideClassName(BrokenConnections.class.getName());
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds, Dialect.of(url));
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return ds;
    }

    static void migrate(javax.sql.DataSource ds, Dialect dialect) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(Map.of("blob_type", dialect.blobType(), "text_type", dialect.textType(),
                        "short_text_type", dialect.shortTextType(), "bytes_type", dialect.bytesType()))
                .load()
                .migrate();
    }

    /** The few column types that differ between the supported databases. */
    public enum Dialect {
        H2("BLOB", "CLOB", "CHARACTER VARYING(1000000)", "BINARY VARYING(1000000)"),
        POSTGRESQL("BYTEA", "TEXT", "TEXT", "BYTEA");

        /** Largest body kept in the row ({@code bytes_type}); larger ones go to {@code blob_type}. */
        public static final int MAX_INLINE_BYTES = 1_000_000;

        private final String blobType;
        private final String textType;
        private final String shortTextType;
        private final String bytesType;

        Dialect(String blobType, String textType, String shortTextType, String bytesType) {
            this.blobType = blobType;
            this.textType = textType;
            this.shortTextType = shortTextType;
            this.bytesType = bytesType;
        }

        public static Dialect of(String jdbcUrl) {
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (jdbcUrl.startsWith("jdbc:h2:")) {
                return H2;
            }
            throw new IllegalArgumentException("unsupported database URL (use jdbc:h2: or jdbc:postgresql:): " + jdbcUrl);
        }

        public String blobType() {
            return blobType;
        }

        public String textType() {
            return textType;
        }

        public String shortTextType() {
            return shortTextType;
        }

        public String bytesType() {
            return bytesType;
        }
    }
}
