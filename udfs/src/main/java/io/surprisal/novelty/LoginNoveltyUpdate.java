package io.surprisal.novelty;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * One line on login novelty's broadcast input ({@link LoginNoveltyWithUpdatesFunction}): an
 * allowlist update ({@code novelty.allowlist.updates}, feedback's allowlist actions) or a model
 * update ({@code detectors.model.updates}, whose login model the operator takes). A Flink POJO.
 */
public class LoginNoveltyUpdate {
    public static final String ALLOWLIST = "allowlist";
    public static final String MODEL = "model";

    /** {@link #ALLOWLIST} or {@link #MODEL}. */
    public String kind;
    public String line;

    public LoginNoveltyUpdate() {}

    public LoginNoveltyUpdate(String kind, String line) {
        this.kind = kind;
        this.line = line;
    }

    public static LoginNoveltyUpdate allowlist(String line) {
        return new LoginNoveltyUpdate(ALLOWLIST, line);
    }

    public static LoginNoveltyUpdate model(String line) {
        return new LoginNoveltyUpdate(MODEL, line);
    }

    /** Allowlist update lines as updates. */
    public static final class OfAllowlist implements MapFunction<String, LoginNoveltyUpdate> {
        @Override
        public LoginNoveltyUpdate map(String line) {
            return allowlist(line);
        }
    }

    /** Model update lines as updates. */
    public static final class OfModel implements MapFunction<String, LoginNoveltyUpdate> {
        @Override
        public LoginNoveltyUpdate map(String line) {
            return model(line);
        }
    }
}
