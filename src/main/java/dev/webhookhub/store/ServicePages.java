package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * One page of a service's rows, newest first ({@code ORDER BY service_id, created_at DESC, id DESC}, the order of
 * the list indexes), with the total and the {@link ListCursor} to the next page: the deliveries log and the
 * deployments list read their pages this way.
 */
public final class ServicePages {

    private ServicePages() {
    }

    /**
     * With {@code before} the page starts right after that row, read from the list's index; {@code offset} then
     * skips rows after the cursor.
     */
    public static <T> Page<T> newestFirst(DataSource ds, String table, String columns, String serviceId, int limit,
            int offset, ListCursor before, Jdbc.RowReader<T> reader, Function<T, Instant> createdAt,
            Function<T, String> id, String failure) {
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE service_id = ?")) {
                ps.setString(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<T> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table
                    + " WHERE service_id = ?" + (before == null ? "" : ListCursor.AFTER)
                    + " ORDER BY service_id, created_at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                ps.setString(1, serviceId);
                int i = before == null ? 2 : before.bind(ps, 2);
                ps.setInt(i, offset);
                ps.setInt(i + 1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(reader.read(rs));
                    }
                }
            }
            T last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new Page<>(items, total, limit, offset, last == null ? null
                    : ListCursor.next(items.size(), limit, createdAt.apply(last), id.apply(last)));
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }
}
