package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The exact part of the sql target (routes/connectors/target-sql.yaml), bound as {@code syncSqlTarget}: builds the
 * UPDATE and INSERT statements for camel-sql ({@code CamelSqlQuery}, named parameters from the body map) from the
 * mapped item's fields, with the table and column names checked as plain identifiers.
 */
public final class SqlTargetConnector {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private final ObjectMapper mapper;

    public SqlTargetConnector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Body: the item as a map of column values; CamelSqlQuery: the UPDATE by key. */
    public void prepareUpdate(Exchange e) throws Exception {
        Map<String, Object> row = row(e);
        List<String> key = key(e, row);
        List<String> sets = new ArrayList<>();
        for (String col : row.keySet()) {
            if (!key.contains(col)) {
                sets.add(col + " = :#" + col);
            }
        }
        List<String> where = new ArrayList<>();
        for (String k : key) {
            where.add(k + " = :#" + k);
        }
        if (sets.isEmpty()) {
            sets.add(key.get(0) + " = :#" + key.get(0));
        }
        e.getMessage().setHeader("CamelSqlQuery", "UPDATE " + table(e) + " SET " + String.join(", ", sets)
                + " WHERE " + String.join(" AND ", where));
        e.getMessage().setBody(row);
        e.setProperty("syncRow", row);
        List<String> ids = new ArrayList<>();
        for (String k : key) {
            ids.add(String.valueOf(row.get(k)));
        }
        e.getMessage().setHeader(SyncRunner.TARGET_ID, String.join("/", ids));
    }

    /** CamelSqlQuery: the INSERT of the same row. */
    public void prepareInsert(Exchange e) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = e.getProperty("syncRow", Map.class);
        e.getMessage().setBody(row);
        List<String> params = new ArrayList<>();
        for (String col : row.keySet()) {
            params.add(":#" + col);
        }
        e.getMessage().setHeader("CamelSqlQuery", "INSERT INTO " + table(e) + " (" + String.join(", ", row.keySet())
                + ") VALUES (" + String.join(", ", params) + ")");
    }

    private Map<String, Object> row(Exchange e) throws Exception {
        JsonNode item = mapper.readTree(e.getMessage().getBody(String.class));
        Map<String, Object> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!IDENTIFIER.matcher(f.getKey()).matches()) {
                throw new IllegalArgumentException("field '" + f.getKey() + "' is not a column name (letters, digits"
                        + " and _)");
            }
            JsonNode v = f.getValue();
            Object value = v.isNull() ? null : v.isTextual() ? v.asText() : v.isBoolean() ? v.asBoolean()
                    : v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? v.decimalValue() : v.toString();
            row.put(f.getKey(), value);
        }
        return row;
    }

    private static List<String> key(Exchange e, Map<String, Object> row) {
        String k = e.getProperty("syncKey", String.class);
        List<String> key = new ArrayList<>();
        for (String part : (k == null || k.isBlank() ? "id" : k).split(",")) {
            String col = part.trim();
            if (!IDENTIFIER.matcher(col).matches()) {
                throw new IllegalArgumentException("key column '" + col + "' is not a column name");
            }
            if (!row.containsKey(col) || row.get(col) == null) {
                throw new IllegalArgumentException("the mapped item has no value for the key column " + col);
            }
            key.add(col);
        }
        return key;
    }

    private static String table(Exchange e) {
        String t = e.getProperty("syncTable", String.class);
        if (t == null || !TABLE.matcher(t.trim()).matches()) {
            throw new IllegalArgumentException("table '" + t + "' is not a table name");
        }
        return t.trim();
    }
}
