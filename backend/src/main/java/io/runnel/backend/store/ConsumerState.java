package io.runnel.backend.store;

/**
 * An enhanced fan-out consumer registered on a stream.
 *
 * @param name          ConsumerName
 * @param arn           {@code <stream ARN>/consumer/<name>:<creation epoch seconds>}
 * @param createdMillis ConsumerCreationTimestamp
 * @param activeAtMillis when it turns ACTIVE (CREATING before)
 * @param deletedAtMillis when deregistration started, or -1
 */
public record ConsumerState(String name, String arn, long createdMillis, long activeAtMillis, long deletedAtMillis) {
    /**
     * ConsumerStatus at a time.
     *
     * @param nowMillis the time, epoch millis
     * @return {@code CREATING}, {@code ACTIVE} or {@code DELETING}
     */
    public String status(long nowMillis) {
        if (deletedAtMillis >= 0) {
            return "DELETING";
        }
        return nowMillis >= activeAtMillis ? "ACTIVE" : "CREATING";
    }

    ConsumerState deleted(long nowMillis) {
        return new ConsumerState(name, arn, createdMillis, activeAtMillis, nowMillis);
    }
}
