package io.surprisal.job;

import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.util.StringUtils;

/** Operator IDs of the job's graph, for an operator whose state savepoints hold under another uid. */
final class Uids {
    private Uids() {}

    /**
     * The operator ID Flink derives from {@code uid} (murmur3-128 of its UTF-8 bytes), in hex: what
     * {@code setUidHash} takes so that an operator with a new uid restores state saved under the old one.
     */
    static String hashOf(String uid) {
        return StringUtils.byteToHexString(StreamGraphHasherV2.generateUserSpecifiedHash(uid));
    }
}
