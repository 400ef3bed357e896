package dev.webhookhub.inbound;

import com.fasterxml.jackson.core.filter.TokenFilter;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a JSON body that a reader needs, as a Jackson {@link TokenFilter}: parsing through it still reads and
 * checks every byte of the body, but builds a tree of those fields only (and of the objects on their way). A push
 * carries its commits and a whole repository description, of which the hub reads a dozen values; the tree of all of
 * it was a third of the parse's time (bench/README.md, "Ninth session").
 *
 * <p>A path names object fields from the root, separated by dots ({@code head_commit.author.name}); its value is kept
 * whole, whatever its type. Arrays on the way to a named field are kept empty: no path reaches into an array.
 */
public final class JsonFields extends TokenFilter {

    /** Field name → the filter for its value; {@link TokenFilter#INCLUDE_ALL} keeps the value whole. */
    private final Map<String, TokenFilter> fields = new HashMap<>();

    private JsonFields() {
    }

    public static JsonFields of(String... paths) {
        JsonFields root = new JsonFields();
        for (String path : paths) {
            root.keep(path.split("\\."), 0);
        }
        return root;
    }

    private void keep(String[] names, int from) {
        if (from == names.length - 1) {
            fields.put(names[from], INCLUDE_ALL);
            return;
        }
        TokenFilter next = fields.computeIfAbsent(names[from], n -> new JsonFields());
        if (next != INCLUDE_ALL) { // else a shorter path keeps this value whole already
            ((JsonFields) next).keep(names, from + 1);
        }
    }

    @Override
    public TokenFilter includeProperty(String name) {
        return fields.get(name);
    }

    @Override
    public TokenFilter includeElement(int index) {
        return null;
    }
}
