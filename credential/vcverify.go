package credential

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// verifyVCFamily runs the format, proof, key and status checks of a VC
// JSON-LD credential, VC-JWT or CLR. It may complete c.UndefinedTerms
// (and drop the data they carried) when Parse could not compute them.
func verifyVCFamily(ctx context.Context, v *Verifier, c *Credential) []Check {
	format := v.checkFormat(c)
	if format.Result == ResultFail || c.Document == nil {
		return []Check{
			format,
			skip(CheckProof, format.Effect, "not checked: the credential is malformed"),
			skip(CheckKey, format.Effect, "not checked: the credential is malformed"),
			skip(CheckStatus, format.Effect, "not checked: the credential is malformed"),
		}
	}
	var proof, key Check
	if c.jwt != nil {
		proof, key = v.verifyJWT(ctx, c)
	} else {
		o := v.verifyEmbeddedProofs(ctx, c.Document, c.Issuer.ID, c.expanded)
		proof, key = o.proof, o.key
		if (c.termsPending || o.alternate) && o.canonDone {
			c.termsPending = false
			c.UndefinedTerms = o.undefined
			c.refill()
			format = v.checkFormat(c)
		}
	}
	status := v.checkStatus(ctx, c)
	return []Check{format, proof, key, status}
}

// refill re-extracts the record fields without undefined terms.
func (c *Credential) refill() {
	inner := c.Inner
	c.problems = nil
	c.fill(removePointers(c.Document, c.UndefinedTerms))
	c.Inner = inner
}

// checkFormat reports what the credential is and any format problems.
func (v *Verifier) checkFormat(c *Credential) Check {
	if len(c.problems) > 0 {
		return fail(CheckFormat, StatusInvalid, "malformed credential: %s", strings.Join(c.problems, "; "))
	}
	if c.Document == nil {
		return fail(CheckFormat, StatusError, "not a credential")
	}
	if c.ldErr != nil {
		if errors.Is(c.ldErr, ErrUnknownContext) {
			return skip(CheckFormat, StatusUnverifiable, "%v", c.ldErr)
		}
		return fail(CheckFormat, StatusInvalid, "the credential is not valid JSON-LD: %v", c.ldErr)
	}
	what := describe(c)
	if c.termsPending {
		return skip(CheckFormat, StatusUnverifiable, "%s; its contexts are not all available, so its data could not be interpreted", what)
	}
	if len(c.UndefinedTerms) > 0 {
		return warn(CheckFormat, "%s; %d propert%s not defined by its contexts, not covered by the signature and ignored: %s", what, len(c.UndefinedTerms), plural(len(c.UndefinedTerms), "y is", "ies are"), strings.Join(c.UndefinedTerms, ", "))
	}
	return pass(CheckFormat, "%s", what)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// describe names the credential's format in words.
func describe(c *Credential) string {
	model := "VC data model 2.0"
	if usesContext(c.Document, contextVC1) {
		model = "VC data model 1.1"
	}
	var kind string
	switch {
	case slices.Contains(c.Types, "ClrCredential"):
		kind = fmt.Sprintf("CLR 2.0 ClrCredential enclosing %d credential%s", len(c.Inner), plural(len(c.Inner), "", "s"))
	case slices.Contains(c.Types, "OpenBadgeCredential"):
		kind = "Open Badges 3.0 OpenBadgeCredential"
	case slices.Contains(c.Types, "AchievementCredential"):
		kind = "Open Badges 3.0 AchievementCredential"
	default:
		kind = "Verifiable Credential"
	}
	if c.jwt != nil {
		return kind + " (" + model + ", VC-JWT)"
	}
	return kind + " (" + model + ")"
}
