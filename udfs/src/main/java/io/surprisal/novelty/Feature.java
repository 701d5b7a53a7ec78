package io.surprisal.novelty;

/**
 * The login attributes login novelty scores, each with the attribute it is conditioned on (its
 * parent in the smoothing hierarchy: an IP prefix is judged within its ASN, the ASN within its
 * country; a browser version within its browser, the browser within its OS, the OS within the
 * device class), and whether the population's rarity of a value counts as evidence on its own.
 */
public enum Feature {
    COUNTRY("country", null, true),
    REGION("region", COUNTRY, false),
    CITY("city", REGION, false),
    ASN("asn", COUNTRY, true),
    PREFIX("ip prefix", ASN, false),
    DEVICE("device", null, true),
    OS("os", DEVICE, true),
    BROWSER("browser", OS, true),
    BROWSER_VERSION("browser version", BROWSER, false),
    /** Hour of day (UTC), scored on a circle with its own kernel, not as a category. */
    HOUR("hour", null, false);

    /** Number of categorical features (all but {@link #HOUR}). */
    public static final int CATEGORICAL = 9;

    static final Feature[] VALUES = values();

    private final String label;
    private final Feature parent;
    private final boolean rarityCounts;

    Feature(String label, Feature parent, boolean rarityCounts) {
        this.label = label;
        this.parent = parent;
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

    /** Whether a value rare in the whole population adds bits even for a user with no history. */
    public boolean rarityCounts() {
        return rarityCounts;
    }
}
