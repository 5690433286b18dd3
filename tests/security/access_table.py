"""The expected-access table: per URL (its name) and method, who gets in.

One line per URL and method: ``<url name>  <METHOD>  <expectation>``. The expectation is either
``public`` (everyone, anonymous included, gets a page — 2xx or a redirect that is not to the login page)
or ``anon=<outcome>; ok=<actors>``: the anonymous visitor's outcome (``login`` — redirected to the login
page, ``deny`` — 401/403/404, ``ok``) and the signed-in actors who get the page. Every signed-in actor not
named under ``ok`` must be denied (403/404, or a redirect to the login page).

Actors (tests/security/world.py builds them): ``own:<role>`` — a person with that one organisation role in
the owning executive committee O, whose objects the URLs point at; ``other:<role>`` — the same role in
another executive body B; ``ent:<role>`` — in a municipal enterprise E; ``super`` — a superuser;
``inst:<role>`` — a person of E holding no organisation role, only that installation role
(``InstallationRole``, docs/architecture.md rule 5). Groups: ``all`` — every signed-in actor; ``own``/``other``/
``ent``/``inst`` — every actor of that class; ``own:registrar+head`` — several roles of one class.
``inst:<role>`` includes ``inst:installation_admin`` (the installation administrator holds every
installation role); ``super`` is named explicitly.

The values come from the rules (docs/architecture.md rule 5; docs/legal.md §7: applicants' personal data only to the
roles that handle them — ``PERSONAL_DATA_ROLES``) and from each view's permission check; where today's
server differs from the rule, the table holds the rule.

PREFIX_RULES: the third-party trees of Wagtail's admin (``/cms/``) and the Django admin
(``/django-admin/``) are covered by the rows below for every URL that edits, publishes, deletes or moves
pages, or manages users, groups, sites and settings; every other pattern under those prefixes is covered
by the prefix rule (not requested one by one): the same gate as the prefix's index page guards it.
"""

# Macros, expanded in the lines below (``{PD}`` etc.).
MACROS = {
    # Roles of O that handle applicants' personal data (orgs.constants.PERSONAL_DATA_ROLES; docs/legal.md §7).
    "PD": "own:registrar+head+reception+admin",
    # Roles of O that register documents (orgs.constants.REGISTERING_ROLES).
    "REG": "own:registrar+admin",
    # The council website's editors at /cms/ (installation role «Редактор сайту ради»).
    "WEB": "inst:website_editor, super",
    "SIG": "inst:signatures_admin, super",
    "INSTADMIN": "inst:installation_admin, super",
    # Every signed-in actor who is an organisation's employee (the installation-role people of E included).
    "STAFF": "all",
}

PREFIX_RULES = {
    "cms/": "the Wagtail admin: anonymous → login; only {WEB} get in (every other signed-in → deny)",
    "django-admin/": "the Django admin: anonymous → its login; only a superuser (staff) gets in",
}

TABLE = """
# --- public site, health, language ------------------------------------------------------------------
public-home                      GET   public
healthz                          GET   public
set_language                     POST  public
# A made-up file: 404 for everyone.
- ^media/(?P<path>.*)$           GET   anon=deny; ok=
core:login                       GET   public
core:login                       POST  public
# No sign-in pending: anonymous is sent back to the login page (there is no code to ask for).
core:otp_verify                  GET   anon=login; ok=all
core:otp_verify                  POST  anon=login; ok=all
core:otp_setup                   GET   anon=login; ok=all
core:otp_setup                   POST  anon=login; ok=all
# Signing out ends on the login page, so the outcome is «login» for everyone (check.py gives this cell a fresh client).
core:logout                      POST  anon=login; ok=

# --- registry (O's cards, files, journals) ----------------------------------------------------------
registry:home                    GET   anon=login; ok=all
registry:register                GET   anon=login; ok={REG}, other:registrar+admin, ent:registrar+admin
registry:register                POST  anon=login; ok={REG}, other:registrar+admin, ent:registrar+admin
registry:picker                  GET   anon=login; ok=all
registry:document                GET   anon=login; ok=own
registry:file_add                POST  anon=login; ok={REG}
registry:file_version            POST  anon=login; ok={REG}
registry:link_add                POST  anon=login; ok={REG}
registry:cancel                  POST  anon=login; ok={REG}
registry:status                  POST  anon=login; ok={REG}
registry:file_download           GET   anon=login; ok=own
registry:file_view               GET   anon=login; ok=own
registry:journals                GET   anon=login; ok=all
# A journal lists the cards every employee of O may open (registry:document is ok=own); registry/views journal_detail.
registry:journal                 GET   anon=login; ok=own
# The generated card is a document of O: the same readers as registry:document.
registry:generation:document     GET   anon=login; ok=own
registry:generation:download     GET   anon=login; ok=own
registry:generation:draft_new    GET   anon=login; ok=all
registry:generation:draft_new    POST  anon=login; ok=all
# A draft is seen by its author and O's readers of drafts (approvals.selectors.draft_visibility_q, ORG_READERS).
registry:generation:draft_created GET   anon=login; ok=own:executor+head+registrar+admin
# As registry:generation:draft_created.
registry:generation:draft_docx   GET   anon=login; ok=own:executor+head+registrar+admin
search:search                    GET   anon=login; ok=all

# --- staff, calendar, notifications -----------------------------------------------------------------
orgs:staff                       GET   anon=login; ok=all
orgs:structure                   GET   anon=login; ok=all
orgs:delegations                 GET   anon=login; ok=all
# Delegations are recorded by the organisation's administrator (orgs.services.delegation_create); everyone may see the page.
# Delegations are recorded by the organisation's administrator (orgs.services.delegation_create); the superuser passes organisation checks.
orgs:delegations                 POST  anon=login; ok=own:admin, other:admin, ent:admin, super
# The superuser (Django's technical root, no organisation) passes organisation checks.
orgs:delegation-revoke           POST  anon=login; ok=own:admin, own:head, super
# As orgs:delegation-revoke for the superuser.
# Installation roles (docs/architecture.md rule 5): granted and revoked by the installation administrator only — an
# organisation's administrator, a municipal enterprise's included, gets nothing installation-wide.
orgs:installation-roles          GET   anon=login; ok={INSTADMIN}
orgs:installation-roles          POST  anon=login; ok={INSTADMIN}
orgs:installation-role-revoke    POST  anon=login; ok={INSTADMIN}
orgs:import                      GET   anon=login; ok=own:admin, other:admin, ent:admin, super
# As orgs:delegation-revoke for the superuser.
orgs:import                      POST  anon=login; ok=own:admin, other:admin, ent:admin, super
workcalendar:index               GET   anon=login; ok=all
workcalendar:period-add          POST  anon=login; ok={INSTADMIN}
workcalendar:period-edit         POST  anon=login; ok={INSTADMIN}
workcalendar:period-remove       POST  anon=login; ok={INSTADMIN}
workcalendar:override-add        POST  anon=login; ok={INSTADMIN}
workcalendar:override-remove     POST  anon=login; ok={INSTADMIN}
workcalendar:shift               POST  anon=login; ok={INSTADMIN}
workcalendar:terms               POST  anon=login; ok={INSTADMIN}
workcalendar:recompute           POST  anon=login; ok={INSTADMIN}
notifications:list               GET   anon=login; ok=all
notifications:count              GET   anon=login; ok=all
notifications:settings           GET   anon=login; ok=all
notifications:settings           POST  anon=login; ok=all
notifications:read-all           POST  anon=login; ok=all
notifications:read               POST  anon=login; ok=own:executor
notifications:open               GET   anon=login; ok=own:executor

# --- workflow: resolutions and assignments (O's card, the executor of O holds the assignment) --------
workflow:home                    GET   anon=login; ok=all
workflow:control                 GET   anon=login; ok=all
workflow:resolve                 GET   anon=login; ok=own:head
workflow:resolve                 POST  anon=login; ok=own:head
workflow:resolution              GET   anon=login; ok=own
workflow:resolution_close        POST  anon=login; ok=own:head
workflow:resolution_revoke       POST  anon=login; ok=own:head
# An assignment is for its assignee, the resolution's author and controllers (workflow.selectors.access), not every employee who may read the card.
workflow:assignment              GET   anon=login; ok=own:executor+head+controller
workflow:accept                  POST  anon=login; ok=own:executor
workflow:start                   POST  anon=login; ok=own:executor
workflow:report                  POST  anon=login; ok=own:executor
workflow:accept_report           POST  anon=login; ok=own:head
workflow:return                  POST  anon=login; ok=own:head
# No report was filed on the world's assignment: 404 for everyone; the access of a filed report is covered in tests/workflow.
workflow:report_file             GET   anon=login; ok=
workflow:subassign               POST  anon=login; ok=own:executor
workflow:cancel                  POST  anon=login; ok=own:head
workflow:deadline_request        POST  anon=login; ok=own:executor
workflow:deadline_decide         POST  anon=login; ok=own:head

# --- approvals (a draft of O's executor, on approval: head approves, then signs) ---------------------
approvals:index                  GET   anon=login; ok=all
approvals:new                    GET   anon=login; ok=all
approvals:new                    POST  anon=login; ok=all
# Author, approvers and O's readers of drafts (draft_visibility_q: ORG_READERS) — the registrar registers it at signing.
approvals:draft                  GET   anon=login; ok=own:executor+head+registrar+admin
approvals:start                  POST  anon=login; ok=own:executor
approvals:version_add            POST  anon=login; ok=own:executor
approvals:withdraw               POST  anon=login; ok=own:executor
approvals:decide                 POST  anon=login; ok=own:head
approvals:sign                   POST  anon=login; ok=own:head
# As approvals:draft.
approvals:version_download       GET   anon=login; ok=own:executor+head+registrar+admin
# As approvals:draft.
approvals:version_view           GET   anon=login; ok=own:executor+head+registrar+admin
# The templates page is for those who manage templates (can_manage_templates; the superuser bypass in views/drafts.py); others pick a template on the draft's page.
approvals:templates              GET   anon=login; ok=own:head+admin, other:head+admin, ent:head+admin, super
# As approvals:templates (the superuser may create templates for any organisation).
approvals:template_new           GET   anon=login; ok=own:head+admin, other:head+admin, ent:head+admin, super
# As approvals:templates.
approvals:template_new           POST  anon=login; ok=own:head+admin, other:head+admin, ent:head+admin, super
# As approvals:templates, O's template.
# As approvals:templates (superuser bypass).
approvals:template               GET   anon=login; ok=own:head+admin, super
approvals:template_edit          POST  anon=login; ok=own:head+admin
approvals:template_step_add      POST  anon=login; ok=own:head+admin
# As approvals:templates (superuser bypass).
approvals:template_step_remove   POST  anon=login; ok=own:head+admin, super

# --- reports --------------------------------------------------------------------------------------
reports:index                    GET   anon=login; ok=all
# A report over one's organisations; a superuser has no organisation (404).
reports:execution                GET   anon=login; ok=own, other, ent, inst
# A report over one's organisations; a superuser has no organisation (404).
reports:execution-xlsx           GET   anon=login; ok=own, other, ent, inst
# A report over one's organisations; a superuser has no organisation (404).
reports:execution-csv            GET   anon=login; ok=own, other, ent, inst
# Appeals statistics of one's organisations, for readers of appeals (READER_ROLES) only.
reports:appeals                  GET   anon=login; ok={PD}, own:controller, other, ent
# Appeals statistics of one's organisations, for readers of appeals (READER_ROLES) only.
reports:appeals-xlsx             GET   anon=login; ok={PD}, own:controller, other, ent
# Appeals statistics of one's organisations, for readers of appeals (READER_ROLES) only.
reports:appeals-csv              GET   anon=login; ok={PD}, own:controller, other, ent
# The overdue / at-risk lists carry number, dates, topic and status, no applicant (reports.appeals_exports._list_row): the readers of appeals.
reports:appeals-lists-csv        GET   anon=login; ok={PD}, own:controller, other, ent

# --- citizens' appeals in the office (personal data: PERSONAL_DATA_ROLES of O only) ----------------
# Readers of appeals (appeals.permissions.READER_ROLES; a controller sees them with the applicant masked); not every employee.
appeals:list                     GET   anon=login; ok={PD}, own:controller, other, ent
# The queue of appeals sent online is for those who register them (OFFICER_ROLES: reception, registrar).
appeals:submitted                GET   anon=login; ok=own:registrar+reception, other:registrar, ent:registrar
# Registering is for OFFICER_ROLES (reception, registrar); a head handles registered appeals.
appeals:register                 GET   anon=login; ok=own:registrar+reception, other:registrar, ent:registrar
# As appeals:register GET.
appeals:register                 POST  anon=login; ok=own:registrar+reception, other:registrar, ent:registrar
# The page is the classifier's loading form: its keeper only (views_classifier.py, docs/architecture.md rule 5).
appeals:classifier               GET   anon=login; ok=inst:classifier_keeper, super
appeals:classifier               POST  anon=login; ok=inst:classifier_keeper, super
appeals:classifier_apply         POST  anon=login; ok=inst:classifier_keeper, super
# A controller watches the terms: READER_ROLES, the applicant's details masked (selectors.appeal_applicant); attachments stay closed to them.
appeals:detail                   GET   anon=login; ok={PD}, own:controller
appeals:attachment               GET   anon=login; ok={PD}
appeals:register_submitted       POST  anon=login; ok={PD}
appeals:take                     POST  anon=login; ok={PD}
appeals:code                     POST  anon=login; ok={PD}
appeals:sign                     POST  anon=login; ok={PD}
appeals:sign_suggest             POST  anon=login; ok={PD}
appeals:term                     POST  anon=login; ok={PD}
appeals:return                   POST  anon=login; ok={PD}
appeals:forward                  POST  anon=login; ok={PD}
appeals:not_consider             POST  anon=login; ok={PD}
appeals:extend                   POST  anon=login; ok={PD}
appeals:close                    POST  anon=login; ok={PD}
appeals:route                    POST  anon=login; ok={PD}
appeals:answer                   POST  anon=login; ok={PD}

# --- citizens' side: appeals, reception ----------------------------------------------------------
appeals_public:services          GET   public
appeals_public:new               GET   public
appeals_public:new               POST  public
appeals_public:sent              GET   anon=deny; ok=
appeals_public:track             GET   public
appeals_public:answer            GET   anon=deny; ok=
reception:schedules              GET   public
reception:book                   GET   public
reception:book                   POST  public
reception:booked                 GET   anon=deny; ok=
reception:cancel                 GET   anon=deny; ok=
reception:cancel                 POST  anon=deny; ok=
# The day's bookings: reception managers (reception.selectors.SCHEDULE_ROLES: reception, admin) and officials who hold a reception (O's head).
reception:office                 GET   anon=login; ok={PD}, other:admin, ent:admin
reception:office_mark            POST  anon=login; ok={PD}
reception:office_register        GET   anon=login; ok={PD}
reception:office_register        POST  anon=login; ok={PD}
# Schedules are managed by SCHEDULE_ROLES (reception, admin).
reception:office_schedules       GET   anon=login; ok=own:reception+admin, other:admin, ent:admin
# As reception:office_schedules.
reception:office_schedule_new    GET   anon=login; ok=own:reception+admin, other:admin, ent:admin
# As reception:office_schedules.
reception:office_schedule_new    POST  anon=login; ok=own:reception+admin, other:admin, ent:admin
# As reception:office_schedules, O's schedule.
reception:office_schedule_edit   GET   anon=login; ok=own:reception+admin
# As reception:office_schedules, O's schedule.
reception:office_schedule_edit   POST  anon=login; ok=own:reception+admin

# --- Open311 (public API; writes need an API key) ------------------------------------------------
open311:root                     GET   public
open311:discovery                GET   public
open311:services                 GET   public
# A made-up code/id: 404 for everyone (public API; nothing to find).
open311:service                  GET   anon=deny; ok=
open311:requests                 GET   public
open311:requests                 POST  anon=deny; ok=
# A made-up code/id: 404 for everyone (public API; nothing to find).
open311:request                  GET   anon=deny; ok=
# A made-up code/id: 404 for everyone (public API; nothing to find).
open311:token                    GET   anon=deny; ok=
open311:not-found                GET   anon=deny; ok=

# --- document exchange ---------------------------------------------------------------------------
exchange:inbox                   GET   anon=login; ok=all
exchange:inbox_item              GET   anon=login; ok=other:registrar+admin
exchange:inbox_item              POST  anon=login; ok=other:registrar+admin
exchange:inbox_file              GET   anon=login; ok=other:registrar+admin
# The world's delivery is local: it has no sealed package (404 for everyone); a peer's package is covered in tests/exchange.
exchange:inbox_package           GET   anon=login; ok=
exchange:sent                    GET   anon=login; ok=all
# Every reader of O's card may send the form; the send itself is refused to all but REGISTERING_ROLES in exchange.services.delivery_send; the empty form is answered with its error on the card, nothing written.
exchange:send                    POST  anon=login; ok=own
exchange:ops                     GET   anon=login; ok=own:admin, other:admin, ent:admin, {INSTADMIN}
exchange:ops_outbox_retry        POST  anon=login; ok=own:admin, {INSTADMIN}
exchange:ops_outbox_resend       POST  anon=login; ok=own:admin, {INSTADMIN}
exchange:ops_peer_add            POST  anon=login; ok={INSTADMIN}
exchange:ops_peer_edit           GET   anon=login; ok={INSTADMIN}
exchange:ops_peer_edit           POST  anon=login; ok={INSTADMIN}
exchange:ops_peer_active         POST  anon=login; ok={INSTADMIN}
exchange:ops_participant_enable  POST  anon=login; ok={INSTADMIN}
# O's administrator may switch off O's own exchange (organisation scope); enabling needs the installation's seal.
exchange:ops_participant_disable POST  anon=login; ok=own:admin, {INSTADMIN}
# O's own participant card: O's administrator sees it (organisation scope); other participants are the installation administrator's.
exchange:ops_card                GET   anon=login; ok=own:admin, {INSTADMIN}
exchange_protocol:root           GET   public
exchange_protocol:messages       POST  public

# --- API keys and webhooks of O (its administrator) ------------------------------------------------
# As orgs:delegation-revoke for the superuser.
api_office:keys                  GET   anon=login; ok=own:admin, other:admin, ent:admin, super
# As orgs:delegation-revoke for the superuser.
api_office:keys                  POST  anon=login; ok=own:admin, other:admin, ent:admin, super
api_office:key_revoke            POST  anon=login; ok=own:admin
api_office:webhook_disable       POST  anon=login; ok=own:admin

# --- REST API v1: a key, never a staff session (the session actors are all refused) ----------------
# Unknown API addresses: a 404 in the API's error shape, for everyone.
- ^api/                          GET   anon=deny; ok=
api-v1:openapi-json              GET   public
api-v1:openapi-view              GET   public
api-v1:api-root                  GET   anon=deny; ok=
api-v1:organisations             GET   anon=deny; ok=
api-v1:peers                     GET   anon=deny; ok=
api-v1:journals                  GET   anon=deny; ok=
api-v1:journal_documents         GET   anon=deny; ok=
api-v1:incoming_list             GET   anon=deny; ok=
api-v1:incoming_get              GET   anon=deny; ok=
api-v1:incoming_file             GET   anon=deny; ok=
api-v1:incoming_register         POST  anon=deny; ok=
api-v1:incoming_reject           POST  anon=deny; ok=
api-v1:outgoing_create           POST  anon=deny; ok=
api-v1:outgoing_receipts         GET   anon=deny; ok=

# --- signatures ----------------------------------------------------------------------------------
signatures:keys                  GET   anon=login; ok=all
signatures:import                POST  anon=login; ok=all
signatures:issue                 POST  anon=login; ok=all
# A key is managed by its owner, its organisation's administrator and the signatures administrator (signatures.selectors.credential_get / may_manage_credential).
signatures:certificate           GET   anon=login; ok=own:head+admin, {SIG}
# As signatures:certificate: O's administrator revokes the key of someone who left.
signatures:revoke                POST  anon=login; ok=own:head+admin, {SIG}
signatures:mine                  GET   anon=login; ok=all
signatures:verify                GET   anon=login; ok=all
signatures:verify                POST  anon=login; ok=all
signatures:admin                 GET   anon=login; ok={SIG}
signatures:ca_create             POST  anon=login; ok={SIG}
signatures:trust_add             POST  anon=login; ok={SIG}
signatures:trust_remove          POST  anon=login; ok={SIG}
signatures:seal_issue            POST  anon=login; ok={SIG}
signatures:document              GET   anon=login; ok=own
signatures:document_sign         POST  anon=login; ok=own:head
signatures:file_cades            POST  anon=login; ok=own:head
signatures:asice                 POST  anon=login; ok=own
signatures:record_download       GET   anon=login; ok=own
signatures_public:verify         GET   public
signatures_public:verify         POST  public
signatures_public:tsa            POST  public
signatures_public:ocsp           POST  public
signatures_public:crl            GET   public
signatures_public:ca_certificate GET   public

# --- the council's website: decisions, open data, discovery, subscriptions --------------------------
acts:list                        GET   public
acts:feed                        GET   public
acts:detail                      GET   public
acts:pdf                         GET   public
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office                      GET   anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_new                  GET   anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_new                  POST  anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_topics               GET   anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_topics               POST  anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_topic                GET   anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# Decisions are published by the organisation that adopted them (Law 2939-VI art. 15): its registrar, head, website editor, administrator (acts.selectors.publication_organisation_ids) — not the installation's website editor.
acts:office_topic                POST  anon=login; ok=own:admin+head+registrar+web_editor, other:admin+head+registrar, ent:admin+head+registrar, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_publish              GET   anon=login; ok=own:admin+head+registrar+web_editor, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_publish              POST  anon=login; ok=own:admin+head+registrar+web_editor, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_link                 POST  anon=login; ok=own:admin+head+registrar+web_editor, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_withdraw             POST  anon=login; ok=own:admin+head+registrar+web_editor, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_edit                 GET   anon=login; ok=own:admin+head+registrar+web_editor, super
# O's decision: O's publishers (acts.selectors.require_publication_rights).
acts:office_edit                 POST  anon=login; ok=own:admin+head+registrar+web_editor, super
opendata:register                GET   public
opendata:catalog                 GET   public
opendata:passport                GET   public
opendata:passport_json           GET   public
opendata:data                    GET   public
website:search                   GET   public
website:robots                   GET   public
website:sitemap                  GET   public
website:sitemap_section          GET   public
website:news_feed                GET   public
website:subscribe                GET   public
website:subscribe                POST  public
website:subscribe_sent           GET   public
# An unknown token gets the page explaining that the link is not valid (200), for everyone.
website:subscribe_confirm        GET   public
website:subscribe_confirm        POST  anon=deny; ok=
# An unknown token gets a 400 page explaining that the link is not valid, for everyone.
website:unsubscribe              GET   public
website:unsubscribe              POST  anon=deny; ok=
wagtail_serve                    GET   public
# A made-up document id: 404 for everyone.
wagtaildocs_serve                GET   anon=deny; ok=
wagtaildocs_authenticate_with_password GET anon=deny; ok=
wagtailcore_authenticate_with_password GET anon=deny; ok=
wagtailcore_login                GET   public

# --- /cms/ (Wagtail admin): every page-editing, publishing, user/group/settings URL ----------------
audience_page_views              GET   anon=login; ok={WEB}
wagtailadmin_home                GET   anon=login; ok={WEB}
wagtailadmin_explore_root        GET   anon=login; ok={WEB}
wagtailadmin_explore             GET   anon=login; ok={WEB}
wagtailadmin_pages:add           GET   anon=login; ok={WEB}
wagtailadmin_pages:add           POST  anon=login; ok={WEB}
wagtailadmin_pages:add_subpage   GET   anon=login; ok={WEB}
wagtailadmin_pages:edit          GET   anon=login; ok={WEB}
wagtailadmin_pages:edit          POST  anon=login; ok={WEB}
wagtailadmin_pages:delete        GET   anon=login; ok={WEB}
wagtailadmin_pages:delete        POST  anon=login; ok={WEB}
wagtailadmin_pages:unpublish     GET   anon=login; ok={WEB}
wagtailadmin_pages:unpublish     POST  anon=login; ok={WEB}
wagtailadmin_pages:move          GET   anon=login; ok={WEB}
wagtailadmin_pages:copy          GET   anon=login; ok={WEB}
wagtailadmin_pages:copy          POST  anon=login; ok={WEB}
wagtailadmin_pages:set_privacy   GET   anon=login; ok={WEB}
wagtailadmin_pages:lock          POST  anon=login; ok={WEB}
wagtailadmin_pages:unlock        POST  anon=login; ok={WEB}
wagtailadmin_pages:revisions_index GET anon=login; ok={WEB}
wagtailadmin_pages:revisions_revert GET anon=login; ok={WEB}
wagtailsettings:edit cms/settings/<slug:app_name>/<slug:model_name>/ GET anon=login; ok={WEB}
wagtailsettings:edit cms/settings/<slug:app_name>/<slug:model_name>/<int:pk>/ GET anon=login; ok={WEB}
wagtailsettings:edit cms/settings/<slug:app_name>/<slug:model_name>/<int:pk>/ POST anon=login; ok={WEB}
wagtailsites:index               GET   anon=login; ok=super
wagtailsites:edit                GET   anon=login; ok=super
wagtailsites:edit                POST  anon=login; ok=super
wagtailusers_users:index         GET   anon=login; ok=super
wagtailusers_users:add           GET   anon=login; ok=super
wagtailusers_users:add           POST  anon=login; ok=super
wagtailusers_users:edit          GET   anon=login; ok=super
wagtailusers_users:edit          POST  anon=login; ok=super
wagtailusers_users:delete        GET   anon=login; ok=super
wagtailusers_users:delete        POST  anon=login; ok=super
wagtailusers_groups:index        GET   anon=login; ok=super
wagtailusers_groups:add          GET   anon=login; ok=super
wagtailusers_groups:add          POST  anon=login; ok=super
wagtailusers_groups:edit         GET   anon=login; ok=super
wagtailusers_groups:edit         POST  anon=login; ok=super
wagtailusers_groups:delete       POST  anon=login; ok=super

# --- /django-admin/ ------------------------------------------------------------------------------
# The Django admin's login is replaced by the office login (one sign-in with the second factor): everyone is sent there.
# The Django admin's login is replaced by the office login (one sign-in with the second factor); a signed-in person is sent on to the office.
admin:login                      GET   anon=login; ok=all
admin:index                      GET   anon=login; ok=super
admin:orgs_user_changelist       GET   anon=login; ok=super
admin:orgs_user_change           GET   anon=login; ok=super
admin:orgs_user_change           POST  anon=login; ok=super
admin:orgs_user_add              POST  anon=login; ok=super
admin:auth_group_changelist      GET   anon=login; ok=super
admin:auth_group_add             POST  anon=login; ok=super
"""


def rows() -> list[tuple[str, str, str]]:
    """(key, method, expectation) for every line of the table, macros expanded."""
    out = []
    for line in TABLE.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for method in ("GET", "POST"):
            marker = f" {method} "
            if marker in f"{line} ":
                key, _sep, spec = f"{line} ".partition(marker)
                spec = spec.strip()
                for name, value in MACROS.items():
                    spec = spec.replace("{" + name + "}", value)
                out.append((" ".join(key.split()), method, spec))
                break
        else:
            raise ValueError(f"access table: no method in line {line!r}")
    return out
