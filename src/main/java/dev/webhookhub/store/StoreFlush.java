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

    /**
     * {@code sync}: also force the file to disk ({@code CHECKPOINT SYNC}); H2's plain {@code CHECKPOINT} only hands it
     * to the operating system, which survives a killed process but not a power loss. The journal's fsync setting
     * asks for the latter, and its segments are deleted after a checkpoint.
     */
    static StoreFlush forDatabase(DataSource ds, Database.Dialect dialect, boolean sync) {
        if (dialect != Database.Dialect.H2) {
            return NONE;
        }
        String checkpoint = sync ? "CHECKPOINT SYNC" : "CHECKPOINT";
        return () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(checkpoint);
            } catch (SQLException e) {
                throw new StoreException("cannot flush the store", e);
            }
        };
    }
}
