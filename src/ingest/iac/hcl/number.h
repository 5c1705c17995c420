#pragma once

// Decimal number text, private to hcl/. HCL numbers are arbitrary-precision decimals; we keep
// the text and only go through `double` for arithmetic.

#include <optional>
#include <string>
#include <string_view>

namespace ecsguard::ingest::hcl {

// "1.50" -> "1.5", "1e3" -> "1000", "-0.0" -> "-0", "00012" -> "12": plain decimal notation,
// as HashiCorp's tools print numbers (big.Float Text('f', -1)). Accepts an optional sign, digits
// with an optional fraction and exponent. Returns nothing for anything else, or when the plain
// form would exceed `max_length` characters (1e100000 is valid HCL but not worth printing).
std::optional<std::string> NormalizeDecimal(std::string_view text, size_t max_length = 4096);

// The shortest decimal text that reads back as `d`, in the same plain notation; nothing for
// NaN and infinities.
std::optional<std::string> FormatDouble(double d);

// The exact sum of two decimal texts, in plain notation ("0.1" + "0.2" = "0.3", as Terraform's
// arbitrary-precision numbers add); nothing when either is not a number or the result would
// exceed `max_length` characters.
std::optional<std::string> AddDecimal(std::string_view a, std::string_view b,
                                      size_t max_length = 4096);

// Parses decimal text as a double (inf for out-of-range magnitudes); nothing when not a number.
std::optional<double> ParseDouble(std::string_view text);

}  // namespace ecsguard::ingest::hcl
