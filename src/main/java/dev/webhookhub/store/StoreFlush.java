package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Forces committed data to the database file. The embedded H2 store writes its file in the background, so writes
 * that must survive a crash at once (admin changes, journal checkpoints) call this; PostgreSQL commits are already
 * durable and need nothing.
 */
@FunctionalInterface
public interface StoreFlush {

    void flush();

    StoreFlush NONE = () -> { };

    static StoreFlush forDatabase(DataSource ds, Database.Dialect dialect) {
        if (dialect != Database.Dialect.H2) {
            return NONE;
        }
        return () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            } catch (SQLException e) {
                throw new StoreException("cannot flush the store", e);
            }
        };
    }
}
