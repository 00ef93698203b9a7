/*
 * C library functions the lx106 image brings itself. Debian's picolibc for lx106 is
 * built without -mlongcalls, so its truncf, nearbyintf, sqrt and printf reach the helpers in
 * the ESP8266's mask ROM (float arithmetic, 32-bit division; esp8266-rom.ld) with short
 * calls that cannot span the distance from flash: such an image does not link.
 *
 * truncf and nearbyintf (WebAssembly's f32.trunc and f32.nearest in wasm2c's output)
 * work on the bits alone; nearbyintf rounds half to even, the default rounding mode and
 * what f32.nearest requires. sqrt (f64.sqrt) takes the root digit by digit on the
 * integer significand and rounds to nearest, so it is exact as IEEE 754 (and Wasm)
 * require, like every host's libm. __udivsi3 and __umodsi3 divide by shift and subtract, the
 * lx106 having no divide instruction, and live in flash beside printf, which calls them.
 */
#include <stdint.h>
#include <string.h>

float truncf(float x);
float nearbyintf(float x);
double sqrt(double x);
uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);

#define EXP_SHIFT 23
#define EXP_MASK 0xFFu
#define BIAS 127u
#define FRAC_BITS 23u
#define SIGN_BIT 0x80000000u
#define FRAC_MASK 0x007FFFFFu

static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

float truncf(float x)
{
    uint32_t u = bits_of(x), e = (u >> EXP_SHIFT) & EXP_MASK;
    if (e >= BIAS + FRAC_BITS) return x;       /* integral already, or inf / NaN */
    if (e < BIAS) return float_of(u & SIGN_BIT); /* |x| < 1: a signed zero */
    return float_of(u & ~(FRAC_MASK >> (e - BIAS)));
}

float nearbyintf(float x)
{
    uint32_t u = bits_of(x), e = (u >> EXP_SHIFT) & EXP_MASK;
    uint32_t shift, m, whole, rest, half;
    if (e >= BIAS + FRAC_BITS) return x;           /* integral already, or inf / NaN */
    if (e < BIAS - 1) return float_of(u & SIGN_BIT); /* |x| < 0.5 */
    /* |x| = m * 2^-shift with the implicit bit: split off the fraction and round. */
    shift = BIAS + FRAC_BITS - e; /* 1..24 fraction bits */
    m = (u & FRAC_MASK) | (FRAC_MASK + 1u);
    whole = m >> shift;
    rest = m & ((1u << shift) - 1u);
    half = 1u << (shift - 1u);
    if (rest > half || (rest == half && (whole & 1u))) whole++;
    if (whole == 0) return float_of(u & SIGN_BIT);
    /* Back to a float of the same exponent; rounding up may carry into the next one. */
    m = whole << shift;
    if (m >> (FRAC_BITS + 1u)) {
        m >>= 1;
        e++;
    }
    return float_of((u & SIGN_BIT) | (e << EXP_SHIFT) | (m & FRAC_MASK));
}

double sqrt(double x)
{
    uint64_t u, m, q = 0, r = 0;
    int e, i;
    memcpy(&u, &x, sizeof u);
    e = (int)((u >> 52) & 0x7FFu);
    m = u & 0x000FFFFFFFFFFFFFull;
    if (e == 0x7FF) return (u >> 63) && !m ? (x - x) / (x - x) : x; /* NaN stays, +inf stays, -inf: NaN */
    if (!(u << 1)) return x;                                       /* +-0 */
    if (u >> 63) return (x - x) / (x - x);                         /* negative: NaN */
    if (e == 0) {                                                  /* subnormal: normalise */
        while (!(m & 0x0010000000000000ull)) {
            m <<= 1;
            e--;
        }
        e++;
    } else {
        m |= 0x0010000000000000ull;
    }
    e -= 1023;
    /* x = m * 2^(e - 52); make the exponent even so it halves exactly. */
    if (e & 1) {
        m <<= 1;
        e--;
    }
    /* The root of m * 2^54 (m < 2^54) has 54 bits: 53 for the result and one to round
     * with. Two radicand bits a step, from the top; bits below m are zeros. A root of an
     * integer is never exactly halfway, so the last bit alone decides the rounding. */
    for (i = 53; i >= 0; i--) {
        uint64_t pair = i >= 27 ? (m >> (2 * (i - 27))) & 3u : 0u, t;
        r = (r << 2) | pair;
        t = (q << 2) | 1u;
        q <<= 1;
        if (r >= t) {
            r -= t;
            q |= 1u;
        }
    }
    q = (q >> 1) + (q & 1u); /* round to nearest */
    /* q is in [2^52, 2^53], the root of m * 2^52; its exponent is e / 2. */
    if (q >> 53) {
        q >>= 1;
        e += 2;
    }
    u = ((uint64_t)((e / 2) + 1023) << 52) | (q & 0x000FFFFFFFFFFFFFull);
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Long division, one quotient bit a step. Division by zero gives all ones (as the
 * hardware dividers of other cores do); C leaves it undefined. */
static uint32_t divide(uint32_t n, uint32_t d, uint32_t *rest)
{
    uint32_t q = 0, r = 0;
    int bit;
    for (bit = 31; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1u);
        if (r >= d) {
            r -= d;
            q |= 1u << bit;
        }
    }
    *rest = r;
    return d ? q : 0xFFFFFFFFu;
}

uint32_t __udivsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    return divide(n, d, &r);
}

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    divide(n, d, &r);
    return r;
}
