package dev.webhookhub.inbound;

import dev.webhookhub.support.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/** Provider samples as raw bytes, and requests with case-insensitive headers, for the adapter tests. */
final class AdapterFixtures {

    private AdapterFixtures() {
    }

    static byte[] sample(String relative) {
        try {
            return Files.readAllBytes(TestHub.samples().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InboundRequest request(byte[] body, String... nameValues) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return new InboundRequest(body, headers::get);
    }
}
