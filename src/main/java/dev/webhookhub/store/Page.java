package dev.webhookhub.store;

import java.util.List;

/**
 * One page of a listing with the total number of matching rows; {@code nextBefore} is the cursor of the next page
 * ({@link ListCursor}) for lists that page by key, null when this page is the last.
 */
public record Page<T>(List<T> items, long total, int limit, int offset, String nextBefore) {

    public Page(List<T> items, long total, int limit, int offset) {
        this(items, total, limit, offset, null);
    }
}
