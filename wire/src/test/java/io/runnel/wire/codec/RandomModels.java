package io.runnel.wire.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds random instances of any model record, for round-trip tests. */
public final class RandomModels {
    private final Random random;
    private final boolean requiredAlways;

    RandomModels(long seed) {
        this(seed, false);
    }

    /** @param requiredAlways never leave a {@code @Required} field null (requests a client may send) */
    public RandomModels(long seed, boolean requiredAlways) {
        this.random = new Random(seed);
        this.requiredAlways = requiredAlways;
    }

    public <T extends Record> T create(Class<T> type) {
        try {
            RecordComponent[] cs = type.getRecordComponents();
            Object[] values = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                boolean required = requiredAlways && cs[i].isAnnotationPresent(io.runnel.wire.model.Required.class);
                values[i] = !required && random.nextInt(5) == 0 ? null : value(cs[i].getType(), cs[i]);
            }
            return type.cast(type.getDeclaredConstructor(types).newInstance(values));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object value(Class<?> c, RecordComponent component) {
        if (c == String.class) {
            return string();
        } else if (c == Integer.class) {
            return random.nextInt();
        } else if (c == Long.class) {
            return random.nextLong();
        } else if (c == Boolean.class) {
            return random.nextBoolean();
        } else if (c == Instant.class) {
            return Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L));
        } else if (c == byte[].class) {
            byte[] b = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(2000)];
            random.nextBytes(b);
            return b;
        } else if (c == Map.class) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                m.put(string(), string());
            }
            return m;
        } else if (c == List.class) {
            Class<?> element = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                list.add(element.isRecord() ? create(element.asSubclass(Record.class)) : value(element, null));
            }
            return list;
        } else if (c.isRecord()) {
            return create(c.asSubclass(Record.class));
        }
        throw new IllegalArgumentException(c.toString());
    }

    private String string() {
        String[] pool = {"", "a", "stream-1", "ключ", "😀 emoji", "quote\"back\\slash", "new\nline",
            "340282366920938463463374607431768211455"};
        if (random.nextBoolean()) {
            return pool[random.nextInt(pool.length)];
        }
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            sb.appendCodePoint(random.nextInt(3) == 0 ? 0x80 + random.nextInt(0xD000) : 0x20 + random.nextInt(95));
        }
        return sb.toString();
    }
}
