package dev.webhookhub.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain-JDBC access to pipeline_results. Changes go through {@link #inTransaction}: the pipeline row is locked
 * ({@code SELECT ... FOR UPDATE}) before it is read, so concurrent reports and completions of one pipeline are
 * applied one after the other and a completion sees every report committed before it.
 */
final class PipelineResultsStore {

    private static final String COLUMNS = "pipeline_id, state, pipeline_fields, build_results, analysis_results, "
            + "fix_results, test_results, default_start_at, created_at, updated_at, completed_at, pipeline_status, "
            + "document";
    private static final int ATTEMPTS = 3;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource ds;
    private final StoreFlush flush;
    private final ObjectMapper mapper;

    PipelineResultsStore(DataSource ds, StoreFlush flush, ObjectMapper mapper) {
        this.ds = ds;
        this.flush = flush;
        this.mapper = mapper;
    }

    /**
     * Runs {@code work} in one transaction and makes it durable (the embedded store is flushed) before returning. A
     * duplicate-key failure (two first reports of one pipeline racing to insert its row) runs it again, and then
     * finds the row. Anything {@code work} throws rolls the transaction back.
     */
    <T> T inTransaction(Work<T> work) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    flush.flush();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e) && attempt < ATTEMPTS) {
                    continue;
                }
                throw new StoreException("cannot write pipeline results", e);
            }
        }
    }

    Optional<PipelineRecord> lock(Connection c, String pipelineId) throws SQLException {
        return read(c, "SELECT " + COLUMNS + " FROM pipeline_results WHERE pipeline_id = ? FOR UPDATE", pipelineId);
    }

    Optional<PipelineRecord> find(String pipelineId) {
        try (Connection c = ds.getConnection()) {
            return read(c, "SELECT " + COLUMNS + " FROM pipeline_results WHERE pipeline_id = ?", pipelineId);
        } catch (SQLException e) {
            throw new StoreException("cannot read pipeline results", e);
        }
    }

    void insert(Connection c, PipelineRecord p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline_results (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.pipelineId());
            ps.setString(2, p.state());
            ps.setString(3, p.fields().toString());
            int i = 4;
            for (Stage s : Stage.values()) {
                ps.setString(i++, json(p.stages().get(s)));
            }
            Jdbc.setInstant(ps, 8, p.defaultStart());
            Jdbc.setInstant(ps, 9, p.createdAt());
            Jdbc.setInstant(ps, 10, p.updatedAt());
            Jdbc.setInstant(ps, 11, p.completedAt());
            ps.setString(12, p.pipelineStatus());
            ps.setString(13, p.document());
            ps.executeUpdate();
        }
    }

    /** Writes every changing column of a row locked in this transaction. */
    void update(Connection c, PipelineRecord p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline_results SET state = ?, pipeline_fields = ?, "
                + "build_results = ?, analysis_results = ?, fix_results = ?, test_results = ?, updated_at = ?, "
                + "completed_at = ?, pipeline_status = ?, document = ? WHERE pipeline_id = ?")) {
            ps.setString(1, p.state());
            ps.setString(2, p.fields().toString());
            int i = 3;
            for (Stage s : Stage.values()) {
                ps.setString(i++, json(p.stages().get(s)));
            }
            Jdbc.setInstant(ps, 7, p.updatedAt());
            Jdbc.setInstant(ps, 8, p.completedAt());
            ps.setString(9, p.pipelineStatus());
            ps.setString(10, p.document());
            ps.setString(11, p.pipelineId());
            ps.executeUpdate();
        }
    }

    private Optional<PipelineRecord> read(Connection c, String sql, String pipelineId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<Stage, JsonNode> stages = new EnumMap<>(Stage.class);
                for (Stage s : Stage.values()) {
                    String v = rs.getString(s.field());
                    if (v != null) {
                        stages.put(s, parse(v));
                    }
                }
                return Optional.of(new PipelineRecord(rs.getString("pipeline_id"), rs.getString("state"),
                        (ObjectNode) parse(rs.getString("pipeline_fields")), stages,
                        Jdbc.getInstant(rs, "default_start_at"), Jdbc.getInstant(rs, "created_at"),
                        Jdbc.getInstant(rs, "updated_at"), Jdbc.getInstant(rs, "completed_at"),
                        rs.getString("pipeline_status"), rs.getString("document")));
            }
        }
    }

    private JsonNode parse(String json) throws SQLException {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("pipeline_results holds a value that is not JSON", e);
        }
    }

    private static String json(JsonNode node) {
        return node == null ? null : node.toString();
    }
}
