package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The exact part of the sql source (routes/connectors/source-sql.yaml), bound as {@code syncSqlSource}: the rows
 * camel-sql read, as JSON items with lower-case column names (H2 reports unquoted names in upper case, PostgreSQL
 * in lower case) and dates and times as ISO text.
 */
public final class SqlSourceConnector {

    private final ObjectMapper mapper;

    public SqlSourceConnector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String rows(Exchange e) {
        List<?> rows = e.getMessage().getBody(List.class);
        ArrayNode out = mapper.createArrayNode();
        if (rows == null) {
            return out.toString();
        }
        for (Object row : rows) {
            ObjectNode item = out.addObject();
            if (row instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> c : m.entrySet()) {
                    String name = String.valueOf(c.getKey()).toLowerCase(Locale.ROOT);
                    Object v = c.getValue();
                    if (v == null) {
                        item.putNull(name);
                    } else if (v instanceof Number || v instanceof Boolean || v instanceof String) {
                        item.set(name, mapper.valueToTree(v instanceof BigDecimal b ? b : v));
                    } else if (v instanceof java.sql.Timestamp t) {
                        item.put(name, t.toInstant().toString());
                    } else {
                        item.put(name, v.toString());
                    }
                }
            }
        }
        return out.toString();
    }
}
