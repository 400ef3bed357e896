package dev.webhookhub.deliveries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * delivery_body_files: how many delivery rows point into each body file, changed in the transaction that adds or
 * deletes those rows, so that retention knows which files no delivery needs any more.
 */
final class BodyFileCounts {

    private BodyFileCounts() {
    }

    /** Adds {@code rows} to each file's count (negative: rows deleted), in {@code c}'s transaction. */
    static void add(Connection c, Map<Long, Long> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE delivery_body_files SET live_rows = live_rows + ? WHERE file = ?")) {
            for (Map.Entry<Long, Long> e : rows.entrySet()) {
                update.setLong(1, e.getValue());
                update.setLong(2, e.getKey());
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO delivery_body_files (file, live_rows) VALUES (?, ?)")) {
                        insert.setLong(1, e.getKey());
                        insert.setLong(2, e.getValue());
                        insert.executeUpdate();
                    }
                }
            }
        }
    }

    /** The files some delivery row points into. */
    static Set<Long> inUse(Connection c) throws SQLException {
        Set<Long> files = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file FROM delivery_body_files WHERE live_rows > 0");
                var rs = ps.executeQuery()) {
            while (rs.next()) {
                files.add(rs.getLong(1));
            }
        }
        return files;
    }

    /** Forgets the files below {@code below} that no row points into (retention deleted them). */
    static void forgetUnused(Connection c, long below) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM delivery_body_files WHERE live_rows <= 0 AND file < ?")) {
            ps.setLong(1, below);
            ps.executeUpdate();
        }
    }
}
