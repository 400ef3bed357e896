package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** CRUD for services. */
public final class ServiceStore {

    private static final String COLUMNS =
            "id, name, git_repository, git_branch, build_config, status, created_at, updated_at";

    private final DataSource ds;
    private final StoreFlush flush;

    public ServiceStore(DataSource ds, StoreFlush flush) {
        this.ds = ds;
        this.flush = flush;
    }

    public Service create(String name, String gitRepository, String gitBranch, String buildConfig) {
        Instant now = Instant.now();
        Service s = new Service(UUID.randomUUID().toString(), name, gitRepository, gitBranch, buildConfig, "active",
                now, now);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO services (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.name());
            ps.setString(3, s.gitRepository());
            ps.setString(4, s.gitBranch());
            ps.setString(5, s.buildConfig());
            ps.setString(6, s.status());
            Jdbc.setInstant(ps, 7, now);
            Jdbc.setInstant(ps, 8, now);
            ps.executeUpdate();
            flush.flush();
            return s;
        } catch (SQLException e) {
            throw new StoreException("cannot create service", e);
        }
    }

    public Optional<Service> find(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM services WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read service", e);
        }
    }

    public Page<Service> list(int limit, int offset) {
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM services");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Service> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM services ORDER BY created_at DESC, id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                ps.setInt(1, offset);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(read(rs));
                    }
                }
            }
            return new Page<>(items, total, limit, offset);
        } catch (SQLException e) {
            throw new StoreException("cannot list services", e);
        }
    }

    public Optional<Service> update(Service s) {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE services SET name = ?, git_repository = ?, "
                        + "git_branch = ?, build_config = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, s.name());
            ps.setString(2, s.gitRepository());
            ps.setString(3, s.gitBranch());
            ps.setString(4, s.buildConfig());
            Jdbc.setInstant(ps, 5, now);
            ps.setString(6, s.id());
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
            flush.flush();
        } catch (SQLException e) {
            throw new StoreException("cannot update service", e);
        }
        return find(s.id());
    }

    public boolean delete(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM services WHERE id = ?")) {
            ps.setString(1, id);
            boolean deleted = ps.executeUpdate() > 0;
            flush.flush();
            return deleted;
        } catch (SQLException e) {
            throw new StoreException("cannot delete service", e);
        }
    }

    /** The Git receivers' per-service rate limit (deliveries per minute), if one is set. */
    public Optional<Integer> rateLimit(String id) {
        return Jdbc.query(ds, "SELECT rate_limit_per_minute FROM services WHERE id = ?", ps -> ps.setString(1, id),
                rs -> {
                    int n = rs.getInt(1);
                    return rs.wasNull() ? null : n;
                }, "cannot read service rate limit").stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** {@code limit} null: no limit. */
    public void setRateLimit(String id, Integer limit) {
        Jdbc.update(ds, "UPDATE services SET rate_limit_per_minute = ? WHERE id = ?", ps -> {
            if (limit == null) {
                ps.setNull(1, java.sql.Types.INTEGER);
            } else {
                ps.setInt(1, limit);
            }
            ps.setString(2, id);
        }, "cannot set service rate limit");
        flush.flush();
    }

    private static Service read(ResultSet rs) throws SQLException {
        return new Service(rs.getString("id"), rs.getString("name"), rs.getString("git_repository"),
                rs.getString("git_branch"), rs.getString("build_config"), rs.getString("status"),
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }
}
