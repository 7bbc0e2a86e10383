package io.ployer.api;

/** The rules of a page of a list: how many to skip and how many to return at most. */
public final class Page {
    /** The most items one page returns. */
    public static final int MAX_LIMIT = 500;

    private Page() {
    }

    /** INVALID_ARGUMENT naming {@code offset} or {@code limit} unless offset ≥ 0 and limit is within 1..{@value #MAX_LIMIT}. */
    public static void check(int offset, int limit) {
        if (offset < 0) {
            throw PloyerException.invalid("offset", "must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw PloyerException.invalid("limit", "must be an integer within 1.." + MAX_LIMIT);
        }
    }
}
