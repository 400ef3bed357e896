package dev.webhookhub.jenkins;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's full name ({@code folder/sub/job}) from its URL: the segment after each {@code job} segment, decoded, so
 * {@code http://ci/job/a/job/b/42/} and the remote API's folder walk name the same job {@code a/b}.
 */
public final class JenkinsJobNames {

    private JenkinsJobNames() {
    }

    /** The full job name in a job or build URL (absolute or relative such as {@code job/asgard/18/}), or null. */
    public static String fromUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String path;
        try {
            URI uri = URI.create(url.trim());
            path = uri.getRawPath() != null ? uri.getRawPath() : url;
        } catch (IllegalArgumentException e) {
            path = url;
        }
        String[] segments = path.split("/");
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 1 < segments.length; i++) {
            if ("job".equals(segments[i]) && !segments[i + 1].isEmpty()) {
                names.add(decode(segments[i + 1]));
                i++;
            }
        }
        return names.isEmpty() ? null : String.join("/", names);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
