package credential

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// checkRecipient checks that the credential names v.Recipient.
func (v *Verifier) checkRecipient(c *Credential) Check {
	if v.Recipient == "" {
		return skip(CheckRecipient, StatusValid, "no applicant identifier given; recipient not checked")
	}
	if ok, how := MatchRecipient(c.Subject, v.Recipient); ok {
		return pass(CheckRecipient, "the credential names %s (%s)", v.Recipient, how)
	}
	if c.Subject.ID == "" && len(c.Subject.Identifiers) == 0 {
		return fail(CheckRecipient, StatusInvalid, "the credential names no recipient, so it cannot be tied to %s", v.Recipient)
	}
	return fail(CheckRecipient, StatusInvalid, "the credential was not issued to %s", v.Recipient)
}

// MatchRecipient reports whether the subject is identified by who (an
// e-mail address, URL, DID, phone number…), and how: by the subject id,
// a clear identifier, or a salted sha256$/md5$ hash. E-mail addresses are
// compared case-insensitively, also against "mailto:" ids.
func MatchRecipient(s Subject, who string) (bool, string) {
	who = strings.TrimSpace(who)
	if who == "" {
		return false, ""
	}
	cands := recipientForms(who)
	if s.ID != "" {
		for _, c := range cands {
			if strings.EqualFold(s.ID, c) || strings.EqualFold(s.ID, "mailto:"+c) {
				return true, "subject id"
			}
		}
	}
	for _, id := range s.Identifiers {
		if !id.Hashed {
			for _, c := range cands {
				if strings.EqualFold(strings.TrimPrefix(id.Identity, "mailto:"), c) {
					return true, "identifier " + id.IdentityType
				}
			}
			continue
		}
		alg, digest, ok := strings.Cut(id.Identity, "$")
		if !ok {
			continue
		}
		want, err := hex.DecodeString(strings.ToLower(digest))
		if err != nil {
			continue
		}
		for _, c := range cands {
			var got []byte
			switch strings.ToLower(alg) {
			case "sha256":
				h := sha256.Sum256([]byte(c + id.Salt))
				got = h[:]
			case "md5":
				h := md5.Sum([]byte(c + id.Salt))
				got = h[:]
			default:
				continue
			}
			if subtle.ConstantTimeCompare(got, want) == 1 {
				return true, "salted " + strings.ToLower(alg) + " hash of " + id.IdentityType
			}
		}
	}
	return false, ""
}

// recipientForms returns the spellings of who to try: as given and, for
// an e-mail address, lower-cased (issuers hash the lower-case form).
func recipientForms(who string) []string {
	who = strings.TrimPrefix(who, "mailto:")
	forms := []string{who}
	if l := strings.ToLower(who); l != who && strings.Contains(who, "@") {
		forms = append(forms, l)
	}
	return forms
}
