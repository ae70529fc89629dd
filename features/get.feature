@get
Feature: Reading a token
  GET on a token, in user or group scope, answers the stored resource,
  never its secret, with an ETag.

  Background:
    Given I am the member

  @get
  Scenario Outline: A token reads back as it was created, without its secret
    Given the member has a token named "read" made through the <scope> scope
    When I send GET to "{<scope> tokens of member}/{id of read}"
    Then the response status is 200
    And the response body matches the schema "token.json"
    And the response header "Content-Type" is "application/json"
    And the JSON at "type" is "application/astra-token"
    And the JSON at "version" is "1.0"
    And the JSON at "id" is "{id of read}"
    And the JSON at "name" is "{name of read}"
    And the JSON at "userID" is "{member}"
    And the JSON at "metadata.labels" equals:
      """
      []
      """
    And the JSON at "token" is absent
    And the response header "ETag" matches "[0-9a-f]{32}"

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @policy @get
  Scenario Outline: The ETag is the quoted MD5 of the token as sent
    Given the member has a token named "tagged" made through the <scope> scope
    When I send GET to "{<scope> tokens of member}/{id of tagged}"
    Then the response status is 200
    And the response header "ETag" matches "^\x22[0-9a-f]{32}\x22$"
    And the ETag is the MD5 of the response body

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @get @user-scope
  Scenario: Labels given at creation are read back
    Given the member has a token named "labels" with labels:
      | name | value |
      | team | qa    |
    When I send GET to "{user tokens of member}/{id of labels}"
    Then the response status is 200
    And the JSON at "metadata.labels" equals:
      """
      [{"name": "team", "value": "qa"}]
      """

  @mock-only @get @user-scope @readonly
  Scenario: A token of the fixtures reads as the documentation shows it
    When I send GET to "{user tokens of member}/{fixture id of Snapshot Script}"
    Then the response status is 200
    And the response body matches the schema "token.json"
    And the JSON at "name" is "Snapshot Script"
    And the JSON at "userID" is "{member}"
    And the JSON at "metadata.createdBy" is "{admin}"
    And the JSON at "metadata.labels" equals:
      """
      []
      """
    And the JSON at "token" is absent
