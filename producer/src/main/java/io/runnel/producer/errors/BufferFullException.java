package io.runnel.producer.errors;

/** addUserRecord found the buffer full (MaxBufferedBytes or the ring) and could not wait, or waited MaxBlockMs. */
public final class BufferFullException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public BufferFullException(String message) {
        super(message);
    }
}
