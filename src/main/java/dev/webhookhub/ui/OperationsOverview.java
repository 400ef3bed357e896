package dev.webhookhub.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.Requests;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * {@code GET /api/dashboard/overview}: what the Health page shows besides the health checks. Queue depths (each
 * in-memory SEDA queue, and the durable backlogs: deliveries accepted but not processed, outbound messages and
 * e-mails by status) and recent errors (refused or failed deliveries, failed outbound messages), newest first.
 */
public final class OperationsOverview {

    private static final int RECENT = 20;

    private final CamelContext context;
    private final DataSource ds;
    private final ObjectMapper mapper;
    private final EventBus events;
    private final LiveEvents live;

    public OperationsOverview(CamelContext context, DataSource ds, ObjectMapper mapper, EventBus events,
            LiveEvents live) {
        this.context = context;
        this.ds = ds;
        this.mapper = mapper;
        this.events = events;
        this.live = live;
    }

    public void overview(Exchange exchange) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("time", Instant.now().toString());
        ArrayNode queues = out.putArray("queues");
        Map<String, SedaEndpoint> seda = new TreeMap<>();
        for (Endpoint e : context.getEndpoints()) {
            if (e instanceof SedaEndpoint s) {
                seda.putIfAbsent(s.getEndpointBaseUri().replace("seda://", ""), s);
            }
        }
        seda.forEach((name, s) -> queues.addObject().put("name", name).put("kind", "memory")
                .put("size", s.getCurrentQueueSize()).put("capacity", s.getSize()));
        try (Connection c = ds.getConnection()) {
            backlog(c, queues, "deliveries accepted, not processed",
                    "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'");
            byStatus(c, queues, "outbound messages", "outbound_messages");
            byStatus(c, queues, "notification e-mails", "notification_messages");
            ArrayNode errors = out.putArray("recent_errors");
            try (PreparedStatement ps = c.prepareStatement("SELECT id, provider, service_id, status, response_code, "
                    + "error, created_at FROM webhook_deliveries WHERE status IN ('rejected', 'failed') "
                    + "ORDER BY created_at DESC, id DESC FETCH FIRST " + RECENT + " ROWS ONLY");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.addObject().put("kind", "delivery").put("id", rs.getString(1))
                            .put("source", rs.getString(2)).put("service_id", rs.getString(3))
                            .put("status", rs.getString(4)).put("code", rs.getInt(5)).put("error", rs.getString(6))
                            .put("time", Jdbc.getInstant(rs, "created_at").toString());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, endpoint_id, event_type, last_status_code, "
                    + "last_error, created_at FROM outbound_messages WHERE status = 'failed' "
                    + "ORDER BY created_at DESC, id DESC FETCH FIRST " + RECENT + " ROWS ONLY");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = errors.addObject().put("kind", "outbound").put("id", rs.getString(1))
                            .put("source", rs.getString(3)).put("endpoint_id", rs.getString(2))
                            .put("status", "failed");
                    int code = rs.getInt(4);
                    if (!rs.wasNull()) {
                        o.put("code", code);
                    }
                    o.put("error", rs.getString(5)).put("time", Jdbc.getInstant(rs, "created_at").toString());
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the operations overview", e);
        }
        out.put("events_dropped", events.dropped());
        out.put("live_streams", live.openStreams());
        Requests.respond(exchange, 200, out, mapper);
    }

    private static void backlog(Connection c, ArrayNode queues, String name, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            queues.addObject().put("name", name).put("kind", "store").put("size", rs.getLong(1));
        }
    }

    private static void byStatus(Connection c, ArrayNode queues, String name, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, COUNT(*) FROM " + table + " GROUP BY status ORDER BY status");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                queues.addObject().put("name", name + ": " + rs.getString(1)).put("kind", "store")
                        .put("size", rs.getLong(2));
            }
        }
    }
}
