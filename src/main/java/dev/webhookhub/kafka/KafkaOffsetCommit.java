package dev.webhookhub.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * The last step of a Kafka worker route (consumer with {@code allowManualCommit=true}): commits the record's offset
 * (synchronously, on the consumer's thread) once the work and its transaction are done. A record whose work failed
 * is not committed here; the next committed record's offset covers it, or it is consumed again after a restart or
 * rebalance, which is a no-op for a delivery no longer {@code accepted}.
 */
public final class KafkaOffsetCommit implements Processor {

    @Override
    public void process(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}
