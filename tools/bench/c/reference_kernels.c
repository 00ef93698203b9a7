/*
 * Plain C reference of Myco's int8 kernels; see reference_kernels.h. The arithmetic is that of
 * docs/inference.md ("Quantisation arithmetic"): int32 accumulation, TFLite's double-rounding
 * MultiplyByQuantizedMultiplier, clamp max-then-min, gemmlowp's exp and 1/(1+x) for softmax.
 */
#include "reference_kernels.h"

#include <string.h>

/* ---- fixed point ----------------------------------------------------------------------- */

int32_t ref_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab, nudge;
    if (a == b && a == INT32_MIN) return INT32_MAX;
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31)); /* C division truncates */
}

int32_t ref_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t ref_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    const int32_t shifted = (int32_t)((uint32_t)x << left); /* wraps, as TFLite in practice */
    return ref_rounding_divide_by_pot(ref_saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    return v;
}

/* ---- convolutions ------------------------------------------------------------------------ */

uint32_t ref_conv2d(const ref_conv_params *p, const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t groups = p->in_c / p->filter_c;
    const int32_t filters_per_group = p->out_c / groups;
    uint32_t work = 0;
    int32_t oy, ox, oc, fy, fx, ic;

    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            for (oc = 0; oc < p->out_c; oc++) {
                const int32_t group = oc / filters_per_group;
                const int32_t in_y_origin = oy * p->stride_h - p->pad_h;
                const int32_t in_x_origin = ox * p->stride_w - p->pad_w;
                int32_t acc = 0, scaled;
                for (fy = 0; fy < p->filter_h; fy++) {
                    for (fx = 0; fx < p->filter_w; fx++) {
                        const int32_t iy = in_y_origin + p->dilation_h * fy;
                        const int32_t ix = in_x_origin + p->dilation_w * fx;
                        if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) continue;
                        for (ic = 0; ic < p->filter_c; ic++) {
                            const int32_t x = input[(iy * p->in_w + ix) * p->in_c + group * p->filter_c + ic];
                            const int32_t f = filter[((oc * p->filter_h + fy) * p->filter_w + fx) * p->filter_c + ic];
                            acc += f * (x + p->input_offset);
                        }
                        work += (uint32_t)p->filter_c;
                    }
                }
                if (p->bias) acc += p->bias[oc];
                scaled = ref_multiply_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc]);
                output[(oy * p->out_w + ox) * p->out_c + oc] =
                    (int8_t)clamp(scaled + p->output_offset, p->act_min, p->act_max);
            }
        }
    }
    return work;
}

uint32_t ref_depthwise_conv2d(const ref_conv_params *p, const int8_t *input, const int8_t *filter, int8_t *output)
{
    uint32_t work = 0;
    int32_t oy, ox, ic, m, fy, fx;

    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            for (ic = 0; ic < p->in_c; ic++) {
                for (m = 0; m < p->depth_multiplier; m++) {
                    const int32_t oc = m + ic * p->depth_multiplier;
                    const int32_t in_y_origin = oy * p->stride_h - p->pad_h;
                    const int32_t in_x_origin = ox * p->stride_w - p->pad_w;
                    int32_t acc = 0, scaled;
                    for (fy = 0; fy < p->filter_h; fy++) {
                        for (fx = 0; fx < p->filter_w; fx++) {
                            const int32_t iy = in_y_origin + p->dilation_h * fy;
                            const int32_t ix = in_x_origin + p->dilation_w * fx;
                            if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w) {
                                const int32_t x = input[(iy * p->in_w + ix) * p->in_c + ic];
                                const int32_t f = filter[(fy * p->filter_w + fx) * p->out_c + oc];
                                acc += f * (x + p->input_offset);
                                work++;
                            }
                        }
                    }
                    if (p->bias) acc += p->bias[oc];
                    scaled = ref_multiply_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc]);
                    output[(oy * p->out_w + ox) * p->out_c + oc] =
                        (int8_t)clamp(scaled + p->output_offset, p->act_min, p->act_max);
                }
            }
        }
    }
    return work;
}

uint32_t ref_fully_connected(const ref_fc_params *p, const int8_t *input, const int8_t *filter, int8_t *output)
{
    int32_t b, o, d;
    for (b = 0; b < p->batches; b++) {
        for (o = 0; o < p->out_depth; o++) {
            int32_t acc = 0, m, s, scaled;
            for (d = 0; d < p->in_depth; d++) {
                const int32_t x = input[b * p->in_depth + d];
                const int32_t f = filter[o * p->in_depth + d];
                acc += (f + p->filter_offset) * (x + p->input_offset);
            }
            if (p->bias) acc += p->bias[o];
            m = p->multipliers ? p->multipliers[o] : p->output_multiplier;
            s = p->multipliers ? p->shifts[o] : p->output_shift;
            scaled = ref_multiply_by_quantized_multiplier(acc, m, s);
            output[b * p->out_depth + o] = (int8_t)clamp(scaled + p->output_offset, p->act_min, p->act_max);
        }
    }
    return (uint32_t)(p->batches * p->in_depth * p->out_depth);
}

/* ---- pooling ----------------------------------------------------------------------------- */

uint32_t ref_average_pool(const ref_pool_params *p, const int8_t *input, int8_t *output)
{
    uint32_t work = 0;
    int32_t oy, ox, c, fy, fx;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            const int32_t in_y_origin = oy * p->stride_h - p->pad_h;
            const int32_t in_x_origin = ox * p->stride_w - p->pad_w;
            for (c = 0; c < p->channels; c++) {
                int32_t acc = 0, count = 0;
                for (fy = 0; fy < p->filter_h; fy++) {
                    for (fx = 0; fx < p->filter_w; fx++) {
                        const int32_t iy = in_y_origin + fy;
                        const int32_t ix = in_x_origin + fx;
                        if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) continue;
                        acc += input[(iy * p->in_w + ix) * p->channels + c];
                        count++;
                    }
                }
                if (count == 0) continue; /* impossible with TFLite's padding; left unwritten */
                work += (uint32_t)count;
                acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                output[(oy * p->out_w + ox) * p->channels + c] = (int8_t)clamp(acc, p->act_min, p->act_max);
            }
        }
    }
    return work;
}

uint32_t ref_max_pool(const ref_pool_params *p, const int8_t *input, int8_t *output)
{
    uint32_t work = 0;
    int32_t oy, ox, c, fy, fx;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            const int32_t in_y_origin = oy * p->stride_h - p->pad_h;
            const int32_t in_x_origin = ox * p->stride_w - p->pad_w;
            for (c = 0; c < p->channels; c++) {
                int32_t best = -128;
                for (fy = 0; fy < p->filter_h; fy++) {
                    for (fx = 0; fx < p->filter_w; fx++) {
                        const int32_t iy = in_y_origin + fy;
                        const int32_t ix = in_x_origin + fx;
                        int32_t v;
                        if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) continue;
                        v = input[(iy * p->in_w + ix) * p->channels + c];
                        if (v > best) best = v;
                        work++;
                    }
                }
                output[(oy * p->out_w + ox) * p->channels + c] = (int8_t)clamp(best, p->act_min, p->act_max);
            }
        }
    }
    return work;
}

/* ---- element-wise ------------------------------------------------------------------------ */

uint32_t ref_add(const ref_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output, int32_t len)
{
    int32_t i;
    for (i = 0; i < len; i++) {
        const int32_t a = (int32_t)((uint32_t)(p->input1_offset + input1[i]) << p->left_shift);
        const int32_t b = (int32_t)((uint32_t)(p->input2_offset + input2[i]) << p->left_shift);
        const int32_t sa = ref_rounding_divide_by_pot(ref_saturating_rounding_doubling_high_mul(a, p->input1_multiplier), -p->input1_shift);
        const int32_t sb = ref_rounding_divide_by_pot(ref_saturating_rounding_doubling_high_mul(b, p->input2_multiplier), -p->input2_shift);
        const int32_t raw = ref_rounding_divide_by_pot(ref_saturating_rounding_doubling_high_mul(sa + sb, p->output_multiplier), -p->output_shift)
                            + p->output_offset;
        output[i] = (int8_t)clamp(raw, p->act_min, p->act_max);
    }
    return (uint32_t)len;
}

uint32_t ref_relu(const ref_relu_params *p, const int8_t *input, int8_t *output, int32_t len)
{
    int32_t i;
    for (i = 0; i < len; i++) {
        const int32_t v = p->output_offset +
            ref_multiply_by_quantized_multiplier(input[i] - p->input_zero_point, p->output_multiplier, p->output_shift);
        output[i] = (int8_t)clamp(v, p->act_min, p->act_max);
    }
    return (uint32_t)len;
}

uint32_t ref_relu6(const int8_t *input, int8_t *output, int32_t len, int32_t lo, int32_t hi)
{
    int32_t i;
    for (i = 0; i < len; i++) output[i] = (int8_t)(input[i] > hi ? hi : input[i] < lo ? lo : input[i]);
    return (uint32_t)len;
}

uint32_t ref_reshape(const int8_t *input, int8_t *output, int32_t len)
{
    if (input != output) memmove(output, input, (size_t)len);
    return 0;
}

/* ---- softmax (gemmlowp fixed point) -------------------------------------------------------- */

#define ACCUMULATION_INTEGER_BITS 12

static int32_t mul(int32_t a, int32_t b)
{
    return ref_saturating_rounding_doubling_high_mul(a, b);
}

/* SaturatingRoundingMultiplyByPOT with a positive exponent. */
static int32_t saturating_shift_left(int32_t x, int e)
{
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - e)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return (int32_t)((uint32_t)x << e);
}

static int32_t rounding_half_sum(int32_t a, int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out. */
static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
    const int32_t constant_term = 1895147668; /* exp(-1/8) */
    const int32_t one_third = 715827883;
    const int32_t x = a + (1 << 28);
    const int32_t x2 = mul(x, x);
    const int32_t x3 = mul(x2, x);
    const int32_t x4 = mul(x2, x2);
    const int32_t x4_over_4 = ref_rounding_divide_by_pot(x4, 2);
    const int32_t poly = ref_rounding_divide_by_pot(mul(x4_over_4 + x3, one_third) + x2, 1);
    return constant_term + mul(constant_term, x + poly);
}

/* exp(a) for a <= 0: a in Q5.26, result in Q0.31. */
static int32_t exp_on_negative_values(int32_t a)
{
    const int32_t quarter = 1 << 24;
    const int32_t a_mod_quarter_minus_quarter = (a & (quarter - 1)) - quarter;
    const int32_t remainder = a_mod_quarter_minus_quarter - a;
    int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
        saturating_shift_left(a_mod_quarter_minus_quarter, 5));
    if (remainder & (1 << 24)) result = mul(result, 1672461947); /* exp(-1/4) */
    if (remainder & (1 << 25)) result = mul(result, 1302514674); /* exp(-1/2) */
    if (remainder & (1 << 26)) result = mul(result, 790015084);  /* exp(-1) */
    if (remainder & (1 << 27)) result = mul(result, 290630308);  /* exp(-2) */
    if (remainder & (1 << 28)) result = mul(result, 39332535);   /* exp(-4) */
    if (remainder & (1 << 29)) result = mul(result, 720401);     /* exp(-8) */
    if (remainder & (1 << 30)) result = mul(result, 242);        /* exp(-16) */
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1): Q0.31 in and out (three Newton-Raphson steps). */
static int32_t one_over_one_plus_x(int32_t a)
{
    const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
    int32_t x = 1515870810 + mul(half_denominator, -1010580540); /* 48/17 - 32/17 d, Q2.29 */
    int i;
    for (i = 0; i < 3; i++) {
        const int32_t one_minus_half_denominator_times_x = (1 << 29) - mul(half_denominator, x);
        x = x + saturating_shift_left(mul(x, one_minus_half_denominator_times_x), 2);
    }
    return saturating_shift_left(x, 1);
}

static int32_t count_leading_zeros(uint32_t v)
{
    int32_t n = 0;
    if (v == 0) return 32;
    while (!(v & 0x80000000u)) {
        v <<= 1;
        n++;
    }
    return n;
}

static int32_t scaled_diff(const ref_softmax_params *p, int32_t d)
{
    return mul((int32_t)((uint32_t)d << p->input_left_shift), p->input_multiplier);
}

uint32_t ref_softmax(const ref_softmax_params *p, const int8_t *input, int8_t *output)
{
    int32_t r, c;
    for (r = 0; r < p->rows; r++) {
        const int8_t *x = input + r * p->depth;
        int8_t *out = output + r * p->depth;
        int32_t max = -128, sum_of_exps = 0, headroom_plus_one, bits_over_unit;
        int32_t shifted_sum_minus_one, shifted_scale, exponent;
        for (c = 0; c < p->depth; c++)
            if (x[c] > max) max = x[c];
        for (c = 0; c < p->depth; c++) {
            const int32_t d = x[c] - max;
            if (d >= p->diff_min)
                sum_of_exps += ref_rounding_divide_by_pot(exp_on_negative_values(scaled_diff(p, d)), ACCUMULATION_INTEGER_BITS);
        }
        headroom_plus_one = count_leading_zeros((uint32_t)sum_of_exps);
        bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom_plus_one;
        shifted_sum_minus_one = (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31));
        shifted_scale = one_over_one_plus_x(shifted_sum_minus_one);
        exponent = bits_over_unit + 31 - 8;
        for (c = 0; c < p->depth; c++) {
            const int32_t d = x[c] - max;
            int32_t q = -128;
            if (d >= p->diff_min) {
                q = ref_rounding_divide_by_pot(mul(shifted_scale, exp_on_negative_values(scaled_diff(p, d))), exponent) - 128;
                q = clamp(q, -128, 127);
            }
            out[c] = (int8_t)q;
        }
    }
    return (uint32_t)(p->rows * p->depth);
}
