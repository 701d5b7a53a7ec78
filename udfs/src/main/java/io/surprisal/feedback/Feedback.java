package io.surprisal.feedback;

import io.surprisal.event.UserKey;

/**
 * One feedback record as the job applies it (docs/alert-routing.md, "Feedback"), parsed and checked
 * by {@link FeedbackParser}. Immutable; Flink serializes it as a POJO (a record), not with Kryo.
 *
 * @param action what the person did
 * @param at when, epoch milliseconds
 * @param until when a false positive or a mute ends, epoch milliseconds of the clock (until then
 *     the alerts it names are not sent); {@link Long#MAX_VALUE} for the other actions
 * @param by who, as the record says (for logs), or null
 * @param alertId the alert the record is about, or null
 * @param user the user (false_positive, mute; allowlist: the user the network is allowlisted for), or null
 * @param tenant the user's tenant, or null
 * @param detector the detector (mute: a detector or {@code *} for all), or null
 * @param repeatKey the alerts' repeat key (false_positive), or null
 * @param network the CIDR network (allowlist), normalised, or null
 */
public record Feedback(
        FeedbackAction action, long at, long until, String by, String alertId, String user, String tenant, String detector,
        String repeatKey, String network) {
    /** A mute's detector that stands for all of the user's detectors. */
    public static final String ALL_DETECTORS = "*";

    private static final char SEPARATOR = '\u001f';

    /** The user's key ({@link UserKey}: tenant and user), as alerts' users are keyed. */
    public String userKey() {
        return UserKey.of(tenant, user);
    }

    /**
     * What a false positive or a mute holds back, as one key: the kind, the user's key, and the
     * repeat key or the detector. A later record with the same key replaces the earlier one.
     */
    public String suppressionKey() {
        return switch (action) {
            case FALSE_POSITIVE -> falsePositiveKey(userKey(), repeatKey);
            case MUTE -> muteKey(userKey(), detector);
            default -> throw new IllegalStateException(action.label() + " suppresses nothing");
        };
    }

    /** The suppression key of a false positive of the user's alerts with {@code repeatKey}. */
    public static String falsePositiveKey(String userKey, String repeatKey) {
        return FeedbackAction.FALSE_POSITIVE.label() + SEPARATOR + userKey + SEPARATOR + repeatKey;
    }

    /** The suppression key of a mute of the user's alerts of {@code detector} ({@link #ALL_DETECTORS}: all). */
    public static String muteKey(String userKey, String detector) {
        return FeedbackAction.MUTE.label() + SEPARATOR + userKey + SEPARATOR + detector;
    }
}
