package dev.webhookhub.notify;

/** A notification rendered from its templates: a one-line subject, a plain-text body and an HTML body. */
public record RenderedMessage(String subject, String text, String html) {
}
