package dev.webhookhub.deliveries;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.support.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention on a real H2 and a real PostgreSQL database: what goes, what stays. */
class DeliveryRetentionTest {

    private final List<HikariDataSource> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(HikariDataSource::close);
    }

    @Test
    void oldDeliveriesGoRecentAndUnprocessedOnesStayOnH2() throws Exception {
        HikariDataSource ds = Database.open("jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "", 4);
        opened.add(ds);
        oldDeliveriesGoRecentAndUnprocessedOnesStay(ds);
    }

    @Test
    void oldDeliveriesGoRecentAndUnprocessedOnesStayOnPostgres() throws Exception {
        HikariDataSource ds = Postgres.openFreshStore(4);
        opened.add(ds);
        oldDeliveriesGoRecentAndUnprocessedOnesStay(ds);
    }

    private void oldDeliveriesGoRecentAndUnprocessedOnesStay(HikariDataSource ds) throws Exception {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO services (id, name, git_branch, status, created_at, updated_at) VALUES "
                    + "('svc', 'svc', 'main', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        delivery(ds, "processed-40d", "processed", now.minus(Duration.ofDays(40)));
        delivery(ds, "failed-40d", "failed", now.minus(Duration.ofDays(40)));
        delivery(ds, "processed-10d", "processed", now.minus(Duration.ofDays(10)));
        delivery(ds, "ignored-10d", "ignored", now.minus(Duration.ofDays(10)));
        delivery(ds, "duplicate-10d", "duplicate", now.minus(Duration.ofDays(10)));
        delivery(ds, "rejected-3d", "rejected", now.minus(Duration.ofDays(3)));
        delivery(ds, "accepted-100d", "accepted", now.minus(Duration.ofDays(100)));
        delivery(ds, "processed-now", "processed", now);
        for (int i = 0; i < 5; i++) {
            delivery(ds, "rejected-10d-" + i, "rejected", now.minus(Duration.ofDays(10)).minusSeconds(i));
        }
        key(ds, "github:svc:old", now.minus(Duration.ofDays(40)));
        key(ds, "github:svc:recent", now.minus(Duration.ofDays(10)));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO deployments (id, service_id, delivery_id, provider, status, created_at, "
                    + "updated_at) VALUES ('dep', 'svc', 'processed-40d', 'github', 'running', CURRENT_TIMESTAMP, "
                    + "CURRENT_TIMESTAMP)");
        }

        // batches of 2: several batches per status
        DeliveryRetention retention = DeliveryRetention.ofDays(ds, null, 30, 7, 2);
        DeliveryRetention.Result result = retention.purge();

        assertThat(result.deliveries()).isEqualTo(2 + 2 + 5);
        assertThat(result.idempotencyKeys()).isEqualTo(1);
        assertThat(strings(ds, "SELECT id FROM webhook_deliveries")).containsExactlyInAnyOrder("processed-10d",
                "rejected-3d", "accepted-100d", "processed-now");
        assertThat(strings(ds, "SELECT delivery_id FROM webhook_delivery_payloads")).containsExactlyInAnyOrder(
                "processed-10d", "rejected-3d", "accepted-100d", "processed-now");
        assertThat(strings(ds, "SELECT message_id FROM idempotency_keys")).containsExactly("github:svc:recent");
        assertThat(strings(ds, "SELECT delivery_id FROM deployments")).containsExactly("processed-40d");

        assertThat(retention.purge().total()).as("a second run finds nothing").isZero();
        assertThat(DeliveryRetention.ofDays(ds, null, 0, 0, 100).purge().total()).as("0 days: off").isZero();
    }

    private static void delivery(HikariDataSource ds, String id, String status, Instant createdAt) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (id, provider, service_id, "
                    + "payload_size, payload_truncated, status, response_code, created_at) "
                    + "VALUES (?, 'github', 'svc', 3, FALSE, ?, 202, ?)")) {
                ps.setString(1, id);
                ps.setString(2, status);
                Jdbc.setInstant(ps, 3, createdAt);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO webhook_delivery_payloads (delivery_id, body) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setBytes(2, "{ }".getBytes());
                ps.executeUpdate();
            }
        }
    }

    private static void key(HikariDataSource ds, String id, Instant createdAt) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency_keys (processor_name, message_id, created_at) VALUES ('git-webhooks', ?, ?)")) {
            ps.setString(1, id);
            Jdbc.setInstant(ps, 2, createdAt);
            ps.executeUpdate();
        }
    }

    private static List<String> strings(HikariDataSource ds, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
