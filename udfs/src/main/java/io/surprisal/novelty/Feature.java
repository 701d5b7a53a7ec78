package io.surprisal.novelty;

/**
 * The login attributes login novelty scores, each with the attribute it is conditioned on (its
 * parent in the chain rule: an IP prefix is judged within its ASN, the ASN within its country; a
 * browser version within its browser, the browser within its OS, the OS within the device class),
 * the group it belongs to (the attributes of a group describe one thing, a place or a client, and
 * share one cap on user-history bits), and whether the population's rarity of a value counts as
 * evidence on its own.
 */
public enum Feature {
    COUNTRY("country", null, Group.PLACE, true),
    REGION("region", COUNTRY, Group.PLACE, false),
    CITY("city", REGION, Group.PLACE, false),
    ASN("asn", COUNTRY, Group.PLACE, true),
    PREFIX("ip prefix", ASN, Group.PLACE, false),
    DEVICE("device", null, Group.CLIENT, true),
    OS("os", DEVICE, Group.CLIENT, true),
    BROWSER("browser", OS, Group.CLIENT, true),
    BROWSER_VERSION("browser version", BROWSER, Group.CLIENT, false),
    /** Hour of day (UTC), scored on a circle with its own kernel, not as a category. */
    HOUR("hour", null, null, false),
    /** Two consecutive logins too far apart for the time between them: not a category. */
    TRAVEL("impossible travel", null, null, false);

    /** Number of categorical features (all but {@link #HOUR} and {@link #TRAVEL}). */
    public static final int CATEGORICAL = 9;

    static final Feature[] VALUES = values();

    /** Attributes that describe one thing: their user-history bits share one cap. */
    public enum Group {
        PLACE,
        CLIENT
    }

    private final String label;
    private final Feature parent;
    private final Group group;
    private final boolean rarityCounts;

    Feature(String label, Feature parent, Group group, boolean rarityCounts) {
        this.label = label;
        this.parent = parent;
        this.group = group;
        this.rarityCounts = rarityCounts;
    }

    /** The name shown in alerts. */
    public String label() {
        return label;
    }

    /** The attribute this one is conditioned on, or null for a top-level attribute. */
    public Feature parent() {
        return parent;
    }

    /** The group of a categorical attribute, null for the others. */
    public Group group() {
        return group;
    }

    /** Whether a value rare in the whole population adds bits even for a user with no history. */
    public boolean rarityCounts() {
        return rarityCounts;
    }

    /**
     * Whether this attribute's rate of new values is kept apart for logins with a new client: the
     * network (ASN, prefix), which a phone on a mobile carrier changes with the device; not the
     * geography, which a new device does not move.
     */
    boolean dependsOnClient() {
        return this == ASN || this == PREFIX;
    }

    /**
     * Whether a new value of this attribute makes the login's client new to the user (device, OS,
     * browser; a browser version alone is an update, not another client).
     */
    boolean newClient() {
        return this == DEVICE || this == OS || this == BROWSER;
    }
}
