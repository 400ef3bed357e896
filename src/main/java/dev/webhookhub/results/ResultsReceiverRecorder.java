package dev.webhookhub.results;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The dedupe-and-record step of routes/results-receiver.yaml: stores the parsed {@link ReceivedResult} once per
 * sender's message id (a retried message is not stored again: {@link #STORED} false).
 */
final class ResultsReceiverRecorder implements Processor {

    static final String STORED = "hubResultStored";

    private final ReceivedResultsStore store;

    ResultsReceiverRecorder(ReceivedResultsStore store) {
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(STORED, store.insert(exchange.getProperty(ReceivedResultParser.RESULT,
                ReceivedResult.class)));
    }
}
