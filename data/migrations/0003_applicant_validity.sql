-- Per person, what ranking needs to know about the credentials that
-- evidence nothing relevant to a job: how many are verified (status
-- valid), the latest date one of them becomes valid and the earliest date
-- one of them expires (0: none). While a ranking moment lies between the
-- two, every one of them counts as verified and ranking reads no
-- credential rows for the count; otherwise it counts that person's rows.
-- Triggers keep the columns right whatever changes a credential.
ALTER TABLE applicants ADD COLUMN valid_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applicants ADD COLUMN valid_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applicants ADD COLUMN valid_expiring INTEGER NOT NULL DEFAULT 0;

UPDATE applicants SET
	valid_count = (SELECT count(*) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid'),
	valid_since = (SELECT coalesce(max(c.valid_from), 0) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid'),
	valid_expiring = (SELECT coalesce(min(c.valid_until), 0) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid' AND c.valid_until > 0);

CREATE TRIGGER credentials_validity_insert AFTER INSERT ON credentials BEGIN
	UPDATE applicants SET
		valid_count = (SELECT count(*) FROM credentials c WHERE c.applicant_id = NEW.applicant_id AND c.status = 'valid'),
		valid_since = (SELECT coalesce(max(c.valid_from), 0) FROM credentials c WHERE c.applicant_id = NEW.applicant_id AND c.status = 'valid'),
		valid_expiring = (SELECT coalesce(min(c.valid_until), 0) FROM credentials c WHERE c.applicant_id = NEW.applicant_id AND c.status = 'valid' AND c.valid_until > 0)
	WHERE id = NEW.applicant_id AND NEW.status = 'valid';
END;

CREATE TRIGGER credentials_validity_delete AFTER DELETE ON credentials BEGIN
	UPDATE applicants SET
		valid_count = (SELECT count(*) FROM credentials c WHERE c.applicant_id = OLD.applicant_id AND c.status = 'valid'),
		valid_since = (SELECT coalesce(max(c.valid_from), 0) FROM credentials c WHERE c.applicant_id = OLD.applicant_id AND c.status = 'valid'),
		valid_expiring = (SELECT coalesce(min(c.valid_until), 0) FROM credentials c WHERE c.applicant_id = OLD.applicant_id AND c.status = 'valid' AND c.valid_until > 0)
	WHERE id = OLD.applicant_id AND OLD.status = 'valid';
END;

CREATE TRIGGER credentials_validity_update AFTER UPDATE OF applicant_id, status, valid_from, valid_until ON credentials BEGIN
	UPDATE applicants SET
		valid_count = (SELECT count(*) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid'),
		valid_since = (SELECT coalesce(max(c.valid_from), 0) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid'),
		valid_expiring = (SELECT coalesce(min(c.valid_until), 0) FROM credentials c WHERE c.applicant_id = applicants.id AND c.status = 'valid' AND c.valid_until > 0)
	WHERE id IN (OLD.applicant_id, NEW.applicant_id);
END;
