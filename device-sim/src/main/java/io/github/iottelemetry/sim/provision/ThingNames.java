package io.github.iottelemetry.sim.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Thing names of a fleet: prefix + a 6-digit index from 000001 (DESIGN.md: {@code [A-Za-z0-9:_-]{1,128}}). */
public final class ThingNames {

    private static final Pattern THING_NAME = Pattern.compile("[A-Za-z0-9:_-]{1,128}");

    private ThingNames() {}

    public static List<String> of(String prefix, int count) {
        if (count < 1 || count > 999_999) {
            throw new IllegalArgumentException("--devices must be 1 to 999999, got " + count);
        }
        List<String> names = new ArrayList<>(count);
        for (int index = 1; index <= count; index++) {
            String name = prefix + String.format("%06d", index);
            if (!THING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--prefix '" + prefix + "' makes the thing name '" + name
                        + "', which is not allowed: use [A-Za-z0-9:_-], at most 122 characters of prefix");
            }
            names.add(name);
        }
        return names;
    }
}
