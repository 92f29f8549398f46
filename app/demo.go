package app

import (
	"fmt"

	"github.com/skillmatch/skillmatch/data/demo"
)

// demoJobs returns the job postings of the embedded demo pool.
func demoJobs() ([]demo.Job, error) {
	m, err := demo.ReadManifest()
	if err != nil {
		return nil, err
	}
	return m.Jobs, nil
}

// demoPosting returns the text of the first demo job posting.
func demoPosting() (string, error) {
	jobs, err := demoJobs()
	if err != nil {
		return "", err
	}
	if len(jobs) == 0 {
		return "", fmt.Errorf("the demo pool has no job postings")
	}
	return demo.JobText(jobs[0])
}
