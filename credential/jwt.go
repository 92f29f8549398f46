package credential

// jwtToken is a decoded compact JWS (VC-JWT).
type jwtToken struct {
	header       map[string]any
	payload      map[string]any
	signingInput []byte
	signature    []byte
}
