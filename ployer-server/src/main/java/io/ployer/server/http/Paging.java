package io.ployer.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Paged lists: the body stays a JSON array (clients that expect one keep working), the total is in
 * {@code X-Total-Count} and the neighbouring pages in an RFC 8288 {@code Link} header
 * ({@code rel="next"}, {@code rel="prev"}), as path-absolute references with the request's other
 * query parameters kept.
 */
public final class Paging {
    /** The header carrying the number of items across all pages. */
    public static final String TOTAL_COUNT = "X-Total-Count";
    /** The header carrying the links to the next and previous pages. */
    public static final String LINK = "Link";
    /** The page size when the request names none. */
    public static final int DEFAULT_LIMIT = 100;

    /** A validated {@code offset} and {@code limit}. */
    public record Window(int offset, int limit) {
        /** Reads the query parameters strictly: a 400 naming {@code offset} or {@code limit}. */
        public static Window of(String offset, String limit) {
            return new Window(offset == null ? 0 : QueryParameters.integer("offset", offset, 0, Integer.MAX_VALUE),
                    limit == null ? DEFAULT_LIMIT : QueryParameters.integer("limit", limit, 1, io.ployer.api.Page.MAX_LIMIT));
        }
    }

    private Paging() {
    }

    /** Sets the total and the links of {@code window} on the response, and returns {@code page}. */
    public static <T> List<T> answer(HttpServletRequest request, HttpServletResponse response, Window window, long total, List<T> page) {
        response.setHeader(TOTAL_COUNT, Long.toString(total));
        List<String> links = new ArrayList<>();
        if ((long) window.offset() + window.limit() < total) {
            links.add("<" + target(request, window.offset() + window.limit(), window.limit()) + ">; rel=\"next\"");
        }
        if (window.offset() > 0) {
            links.add("<" + target(request, Math.max(0, window.offset() - window.limit()), window.limit()) + ">; rel=\"prev\"");
        }
        if (!links.isEmpty()) {
            response.setHeader(LINK, String.join(", ", links));
        }
        return page;
    }

    /** The request's path and query with {@code offset} and {@code limit} replaced. */
    private static String target(HttpServletRequest request, int offset, int limit) {
        StringBuilder target = new StringBuilder(request.getRequestURI()).append('?');
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!pair.isEmpty() && !name.equals("offset") && !name.equals("limit")) {
                    target.append(pair).append('&');
                }
            }
        }
        return target.append("offset=").append(offset).append("&limit=").append(limit).toString()
                .replace(">", URLEncoder.encode(">", StandardCharsets.UTF_8));
    }
}
