package dev.webhookhub.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the connection pool to drop a connection whose database is gone, so the next connection opens the store
 * again. Hikari recognises broken PostgreSQL connections (SQLSTATE 08...) by itself; embedded H2 reports a database
 * closed after a fatal error (out of memory, I/O error, {@code SHUTDOWN}) with its own codes, and without this every
 * pooled connection kept answering "Database is already closed" and every receiver 503.
 */
public final class BrokenConnections implements SQLExceptionOverride {

    /**
     * H2: 90098 database closed, 90121 database closed at shutdown, 90067 connection broken, 90028 I/O error,
     * 90108 out of memory, 90030 file corrupted, 90020 database in use (locked by another process).
     */
    static final Set<Integer> H2_FATAL = Set.of(90098, 90121, 90067, 90028, 90108, 90030, 90020);

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return isFatal(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }

    /** True when {@code e} (or a cause) says the database itself is closed or broken, not the statement. */
    public static boolean isFatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && H2_FATAL.contains(s.getErrorCode())
                    && s.getSQLState() != null && s.getSQLState().startsWith("90")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
