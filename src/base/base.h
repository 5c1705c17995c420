#pragma once

// base: the vocabulary every other part shares and nothing else.
//
// Result<T> is a value or an Error {code, message, location}; errors we expect are values and
// propagate with RETURN_IF_ERROR / ASSIGN_OR_RETURN. Also: ARN parsing, small string helpers,
// SHA-256 for stable ids, ISO 8601 dates and times, and the injectable Clock. Everything here is
// thread-compatible (const methods may be called concurrently); nothing prints, exits or throws.
//
//   Result<Arn> Parse(std::string_view s) {
//     auto arn = ParseArn(s);
//     if (!arn) return Error(ErrorCode::kParse, "not an ARN");
//     return *arn;
//   }
//   ASSIGN_OR_RETURN(Arn arn, Parse(text));

#include "base/arn.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/file.h"
#include "base/result.h"
#include "base/strings.h"
#include "base/time.h"
#include "base/utf8.h"
