@http
Feature: HTTP details
  Content negotiation (a token is sent as application/json, or as
  application/astra-token+json when asked for; an Accept that allows
  neither is answered with problem 32), the methods each path supports,
  query parameters on the operations that take none, and the request id.

  Background:
    Given I am the member

  Scenario Outline: A token is sent in the media type asked for: <accept>
    Given the member has a token named "negotiated" made through the <scope> scope
    And I set the header "Accept" to "<accept>"
    When I send GET to "{<scope> tokens of member}/{id of negotiated}"
    Then the response status is 200
    And the response header "Content-Type" is "<content type>"

    @get @user-scope
    Examples: user scope
      | scope | accept                       | content type                 |
      | user  | */*                          | application/json             |
      | user  | application/json             | application/json             |
      | user  | application/astra-token+json | application/astra-token+json |

    @get @group-scope
    Examples: group scope
      | scope | accept                       | content type                 |
      | group | application/astra-token+json | application/astra-token+json |

  @policy @readonly
  Scenario Outline: A list is always application/json: <accept>
    Given I set the header "Accept" to "<accept>"
    When I send GET to "{<scope> tokens of member}?limit=1"
    Then the response status is 200
    And the response header "Content-Type" is "application/json"

    @list @user-scope
    Examples: user scope
      | scope | accept                       |
      | user  | */*                          |
      | user  | application/*                |
      | user  | application/astra-token+json |

    @list @group-scope
    Examples: group scope
      | scope | accept                       |
      | group | application/astra-token+json |

  @policy
  Scenario Outline: application/* is accepted for a token (<method>)
    Given the member has a token named "wildcard" made through the user scope
    And I set the header "Accept" to "application/*"
    When I send <method> to "{user tokens of member}<item>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} wildcard accept"}
      """
    Then the response status is <status>
    And the response header "Content-Type" is "application/json"

    @create @user-scope
    Examples: create
      | method | item | status |
      | POST   |      | 201    |

    @get @user-scope
    Examples: get
      | method | item              | status |
      | GET    | /{id of wildcard} | 200    |

  Scenario Outline: An Accept that allows no JSON type is refused (<method>, <scope> scope)
    Given the member has a token named "picky" made through the <scope> scope
    And I set the header "Accept" to "text/html"
    When I send <method> to "{<scope> tokens of member}<item>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} unacceptable"}
      """
    Then the response is problem 32

    @create @user-scope
    Examples: create, user scope
      | method | scope | item |
      | POST   | user  |      |

    @create @group-scope
    Examples: create, group scope
      | method | scope | item |
      | POST   | group |      |

    @get @user-scope
    Examples: get, user scope
      | method | scope | item           |
      | GET    | user  | /{id of picky} |

    @get @group-scope
    Examples: get, group scope
      | method | scope | item           |
      | GET    | group | /{id of picky} |

  @readonly
  Scenario Outline: An Accept that allows no JSON type is refused (list, <scope> scope)
    Given I set the header "Accept" to "<accept>"
    When I send GET to "{<scope> tokens of member}"
    Then the response is problem 32

    @list @user-scope
    Examples: user scope
      | scope | accept          |
      | user  | text/html       |
      | user  | application/xml |

    @list @group-scope
    Examples: group scope
      | scope | accept    |
      | group | text/html |

  Scenario Outline: Operations other than the list take no query parameters (<method>, <scope> scope)
    Given the member has a token named "no query" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}<item>?<query>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} with a query"}
      """
    Then the response is problem 6
    And the problem names the parameter "<parameter>"

    @create @user-scope
    Examples: create, user scope
      | method | scope | item | query      | parameter |
      | POST   | user  |      | include=id | include   |

    @create @group-scope
    Examples: create, group scope
      | method | scope | item | query      | parameter |
      | POST   | group |      | colour=red | colour    |

    @update @user-scope
    Examples: update, user scope
      | method | scope | item              | query      | parameter |
      | PUT    | user  | /{id of no query} | force=true | force     |

    @update @group-scope
    Examples: update, group scope
      | method | scope | item              | query   | parameter |
      | PUT    | group | /{id of no query} | limit=1 | limit     |

  Scenario Outline: Reading or deleting a token takes no query parameters (<method>, <scope> scope)
    Given the member has a token named "no query" made through the <scope> scope
    When I send <method> to "{<scope> tokens of member}/{id of no query}?<query>"
    Then the response is problem 6
    And the problem names the parameter "<parameter>"
    When I send GET to "{<scope> tokens of member}/{id of no query}"
    Then the response status is 200

    @get @user-scope
    Examples: get, user scope
      | method | scope | query      | parameter |
      | GET    | user  | include=id | include   |

    @get @group-scope
    Examples: get, group scope
      | method | scope | query     | parameter |
      | GET    | group | fields=id | fields    |

    @delete @user-scope
    Examples: delete, user scope
      | method | scope | query      | parameter |
      | DELETE | user  | force=true | force     |

    @delete @group-scope
    Examples: delete, group scope
      | method | scope | query   | parameter |
      | DELETE | group | limit=1 | limit     |

  @policy
  Scenario Outline: Another method is refused with the methods allowed (<path>)
    When I send PATCH to "<path>" with body:
      """
      {"name": "{run} patched"}
      """
    Then the response is problem 69
    And the response header "Allow" is "<allow>"

    @user-scope
    Examples: user scope
      | path                                                         | allow            |
      | {user tokens of member}                                      | GET, POST        |
      | {user tokens of member}/11111111-1111-4111-8111-111111111111 | GET, PUT, DELETE |

    @group-scope
    Examples: group scope
      | path                                                          | allow            |
      | {group tokens of member}                                      | GET, POST        |
      | {group tokens of member}/11111111-1111-4111-8111-111111111111 | GET, PUT, DELETE |

  @policy @get @user-scope @readonly
  Scenario: A client's request id is used as the correlation id
    Given I set the header "X-Request-ID" to "44444444-4444-4444-8444-444444444444"
    When I send GET to "{user tokens of member}/11111111-1111-4111-8111-111111111111"
    Then the response is problem 2
    And the response header "X-Request-ID" is "44444444-4444-4444-8444-444444444444"
    And the JSON at "correlationID" is "44444444-4444-4444-8444-444444444444"

  @policy @list @user-scope @readonly
  Scenario: Every answer carries a request id, a fresh one when the client's is not an identifier
    Given I set the header "X-Request-ID" to "not an identifier"
    When I send GET to "{user tokens of member}?limit=1"
    Then the response status is 200
    And the response header "X-Request-ID" matches "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    When I send GET to "{user tokens of member}?limit=0"
    Then the response is problem 5
    And the JSON at "correlationID" is present
