package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a flush asks of a real H2 file store: with the journal's fsync on, a checkpoint that syncs the file. */
class StoreFlushTest {

    @TempDir
    Path dir;

    @Test
    void withFsyncTheCheckpointAlsoSyncsTheFile() throws Exception {
        assertThat(checkpointsSentBy(true)).containsExactly("CHECKPOINT SYNC");
        assertThat(checkpointsSentBy(false)).containsExactly("CHECKPOINT");
        assertThat(StoreFlush.forDatabase(null, Database.Dialect.POSTGRESQL, true))
                .as("PostgreSQL's commits are durable by themselves").isSameAs(StoreFlush.NONE);
    }

    /** The checkpoint statements H2 ran for one flush, from its own query statistics. */
    private List<String> checkpointsSentBy(boolean sync) throws Exception {
        try (HikariDataSource ds = Database.open("jdbc:h2:file:" + dir.resolve("hub-" + sync).toAbsolutePath(),
                "sa", "", 2)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            StoreFlush.forDatabase(ds, Database.Dialect.H2, sync).flush();
            List<String> sent = new ArrayList<>();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS "
                            + "WHERE SQL_STATEMENT LIKE 'CHECKPOINT%'")) {
                while (rs.next()) {
                    sent.add(rs.getString(1));
                }
            }
            return sent;
        }
    }
}
