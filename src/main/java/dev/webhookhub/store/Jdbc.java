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
import javax.sql.DataSource;

/** Small helpers for the portable JDBC types the store uses, and for one-statement reads and writes. */
public final class Jdbc {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads one row. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
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
