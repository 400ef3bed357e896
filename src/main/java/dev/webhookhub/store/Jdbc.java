package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** Small helpers for the portable JDBC types the store uses, and for one-statement reads and writes. */
public final class Jdbc {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Work done on a connection inside a transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Reads one row. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    /**
     * Whether the failure, one of its causes, or the statement a batch failed on carries a SQLSTATE {@code state}
     * accepts (drivers report a batch entry's own error as the batch exception's next exception).
     */
    public static boolean hasSqlState(SQLException e, Predicate<String> state) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && state.test(s.getSQLState())) {
                return true;
            }
            if (t instanceof java.sql.BatchUpdateException b && b.getNextException() != null
                    && b.getNextException().getSQLState() != null && state.test(b.getNextException().getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A duplicate key (SQLSTATE 23505 on H2 and PostgreSQL). */
    public static boolean isUniqueViolation(SQLException e) {
        return hasSqlState(e, "23505"::equals);
    }

    /** Runs {@code work} in one transaction on its own connection: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(DataSource ds, TxWork<T> work, String failure) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    /** Runs one INSERT/UPDATE/DELETE on its own connection; returns the rows changed. */
    public static int update(DataSource ds, String sql, Binder binder, String failure) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException ex) {
            throw new StoreException(failure, ex);
        }
    }

    /** Runs one query on its own connection and reads every row. */
    public static <T> List<T> query(DataSource ds, String sql, Binder binder, RowReader<T> reader, String failure) {
        List<T> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
        } catch (SQLException ex) {
            throw new StoreException(failure, ex);
        }
        return out;
    }

    public static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
